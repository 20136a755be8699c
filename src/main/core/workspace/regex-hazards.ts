/*
 * JavaScript's regex engine backtracks: a repeated group that can match the same text in more than one way makes
 * it try every way on a text that almost matches, 2^n steps for n characters (`(a+)+$` froze the web host for
 * minutes on a 31-byte answer). A probe's pattern comes from a workspace file; these shapes are refused there.
 */

/** A piece of a pattern: a single-character test, a zero-width assertion, a group, or a repetition. */
type Part =
  | { kind: 'char'; test: string }
  | { kind: 'empty' }
  | { kind: 'group'; alternatives: Part[][] }
  | { kind: 'repeat'; part: Part; min: number; max: number; source: string }

class PatternReader {
  at = 0
  constructor(readonly source: string) {}

  alternatives(): Part[][] {
    const alternatives: Part[][] = [[]]
    while (this.at < this.source.length && this.source[this.at] !== ')') {
      if (this.source[this.at] === '|') {
        this.at++
        alternatives.push([])
        continue
      }
      const start = this.at
      const part = this.atom()
      ;(alternatives[alternatives.length - 1] as Part[]).push(this.quantified(part, start))
    }
    return alternatives
  }

  private atom(): Part {
    const char = this.source[this.at++] ?? ''
    switch (char) {
      case '(': {
        // (?: (?= (?! (?<= (?<! (?<name>: lookarounds match no text of their own.
        const lookaround = /^\?(?:[=!]|<[=!])/.exec(this.source.slice(this.at))
        const named = /^\?<[^>]*>|^\?:/.exec(this.source.slice(this.at))
        this.at += (lookaround ?? named)?.[0].length ?? 0
        const alternatives = this.alternatives()
        this.at++
        return lookaround ? { kind: 'empty' } : { kind: 'group', alternatives }
      }
      case '[': {
        const start = this.at - 1
        if (this.source[this.at] === '^') this.at++
        while (this.at < this.source.length && this.source[this.at] !== ']')
          this.at += this.source[this.at] === '\\' ? 2 : 1
        this.at++
        return { kind: 'char', test: this.source.slice(start, this.at) }
      }
      case '\\': {
        const escape = /^(?:[bB]|\d+|k<[^>]*>)/.exec(this.source.slice(this.at))
        if (escape) {
          this.at += escape[0].length
          // A word boundary is zero-width; a back-reference may match any text, so it overlaps everything.
          return /^[bB]$/.test(escape[0]) ? { kind: 'empty' } : { kind: 'char', test: '[^]' }
        }
        const sequence = /^(?:[pP]\{[^}]*\}|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|c[A-Za-z]|[^])/.exec(
          this.source.slice(this.at),
        )
        this.at += sequence?.[0].length ?? 0
        return { kind: 'char', test: `\\${sequence?.[0] ?? ''}` }
      }
      case '^':
      case '$':
        return { kind: 'empty' }
      case '.':
        return { kind: 'char', test: '.' }
      default:
        return { kind: 'char', test: char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') }
    }
  }

  private quantified(part: Part, start: number): Part {
    const rest = this.source.slice(this.at)
    const match = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(rest)
    if (!match) return part
    this.at += match[0].length
    const [min, max] =
      match[1] === '*'
        ? [0, Infinity]
        : match[1] === '+'
          ? [1, Infinity]
          : match[1] === '?'
            ? [0, 1]
            : [Number(match[2]), match[3] === undefined ? Number(match[2]) : match[4] ? Number(match[4]) : Infinity]
    return { kind: 'repeat', part, min, max, source: this.source.slice(start, this.at) }
  }
}

function canBeEmpty(part: Part): boolean {
  switch (part.kind) {
    case 'char':
      return false
    case 'empty':
      return true
    case 'group':
      return part.alternatives.some((sequence) => sequence.every(canBeEmpty))
    case 'repeat':
      return part.min === 0 || canBeEmpty(part.part)
  }
}

/** The repetition inside `part` that can match a varying amount of text, if any. */
function varyingRepeat(part: Part): Part | undefined {
  switch (part.kind) {
    case 'char':
    case 'empty':
      return undefined
    case 'group':
      for (const sequence of part.alternatives)
        for (const inner of sequence) {
          const found = varyingRepeat(inner)
          if (found) return found
        }
      return undefined
    case 'repeat':
      return part.max > part.min && matchesText(part.part) ? part : varyingRepeat(part.part)
  }
}

/** Whether `part` can match at least one character (a lookaround or an anchor cannot). */
function matchesText(part: Part): boolean {
  switch (part.kind) {
    case 'char':
      return true
    case 'empty':
      return false
    case 'group':
      return part.alternatives.some((sequence) => sequence.some(matchesText))
    case 'repeat':
      return part.max > 0 && matchesText(part.part)
  }
}

/** The tests a first character of `sequence` must pass (several when leading parts may match nothing). */
function firstChars(sequence: Part[]): string[] {
  const tests: string[] = []
  for (const part of sequence) {
    tests.push(...firstOf(part))
    if (!canBeEmpty(part)) break
  }
  return tests
}

function firstOf(part: Part): string[] {
  switch (part.kind) {
    case 'char':
      return [part.test]
    case 'empty':
      return []
    case 'group':
      return part.alternatives.flatMap(firstChars)
    case 'repeat':
      return firstOf(part.part)
  }
}

// Characters tried against two first-character tests to see whether both can start on the same text.
const SAMPLES = [...Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)), 'é', 'ß', '中', '\u2028', '😀']

function overlap(a: string[], b: string[]): boolean {
  const compile = (tests: string[]) => {
    try {
      return new RegExp(`^(?:${tests.join('|')})`, 'u')
    } catch {
      return new RegExp(`^(?:${tests.join('|')})`)
    }
  }
  const [left, right] = [compile(a), compile(b)]
  return SAMPLES.some((sample) => left.test(sample) && right.test(sample))
}

/** Whether two alternatives of one group can match the same text (or one can match nothing). */
function ambiguous(group: Extract<Part, { kind: 'group' }>): boolean {
  const { alternatives } = group
  if (alternatives.length < 2) return false
  if (alternatives.some((sequence) => sequence.every(canBeEmpty))) return true
  const firsts = alternatives.map(firstChars)
  return firsts.some((first, i) => firsts.slice(i + 1).some((other) => overlap(first, other)))
}

/** The group a repetition repeats, looking through groups of one alternative with one part. */
function repeatedGroup(part: Part): Extract<Part, { kind: 'group' }> | undefined {
  if (part.kind !== 'group') return undefined
  const only =
    part.alternatives.length === 1 && part.alternatives[0]?.length === 1 ? part.alternatives[0][0] : undefined
  return only?.kind === 'group' ? repeatedGroup(only) : part
}

/** Why a pattern can backtrack catastrophically, naming the piece at fault; undefined when it cannot. */
export function regexHazard(pattern: string): string | undefined {
  const reader = new PatternReader(pattern)
  const parts: Part[] = []
  for (;;) {
    parts.push({ kind: 'group', alternatives: reader.alternatives() })
    if (reader.at >= pattern.length) break
    reader.at++
  }
  const pending = [...parts]
  while (pending.length > 0) {
    const part = pending.pop() as Part
    if (part.kind === 'group') for (const sequence of part.alternatives) pending.push(...sequence)
    if (part.kind !== 'repeat') continue
    pending.push(part.part)
    if (part.max <= 1) continue
    const inner = varyingRepeat(part.part)
    if (inner && inner.kind === 'repeat')
      return `\`${part.source}\` repeats a group that itself repeats (\`${inner.source}\`)`
    const group = repeatedGroup(part.part)
    if (group && ambiguous(group))
      return `\`${part.source}\` repeats a choice whose alternatives can match the same text`
  }
  return undefined
}
