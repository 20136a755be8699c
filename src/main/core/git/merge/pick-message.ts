/*
 * The message of a cherry-pick made with `git cherry-pick -x` (sequencer.c): the original message,
 * a newline if it lacks one, a blank line unless it already ends in a trailer block
 * (has_conforming_footer, i.e. trailer.c's find_trailer_start), then the "cherry picked" line.
 * Bytes are handled as latin1 strings so any encoding passes through untouched.
 */

const PICKED_PREFIX = '(cherry picked from commit '
const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', PICKED_PREFIX]

/** The message `git cherry-pick -x` gives the pick of `source` whose message is `message`. */
export function pickMessage(message: Buffer, source: string): Buffer {
  let text = message.toString('latin1')
  if (text.length > 0 && !text.endsWith('\n')) text += '\n'
  if (!hasTrailerBlock(text)) text += '\n'
  return Buffer.from(`${text}${PICKED_PREFIX}${source})\n`, 'latin1')
}

/** The sources named by "(cherry picked from commit X)" lines of a message. */
export function pickedFrom(message: string): string[] {
  return [...message.matchAll(/^\(cherry picked from commit ([0-9a-f]{7,40})\)$/gm)].map((m) => m[1] as string)
}

function hasTrailerBlock(text: string): boolean {
  const end = text.length - ignoredTail(text)
  return trailerStart(text, text.length) !== end
}

function isBlank(line: string): boolean {
  return /^[ \t\r\n]*$/.test(line)
}

function lineAt(text: string, pos: number): string {
  const nl = text.indexOf('\n', pos)
  return text.slice(pos, nl === -1 ? text.length : nl + 1)
}

function nextLine(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos)
  return nl === -1 ? text.length : nl + 1
}

function lastLine(text: string, len: number): number {
  if (len === 0) return -1
  if (len === 1) return 0
  for (let i = len - 2; i >= 0; i--) if (text[i] === '\n') return i + 1
  return 0
}

// find_separator with ":" as the only separator.
function separatorAt(line: string): number {
  let whitespace = false
  for (let c = 0; c < line.length; c++) {
    const ch = line[c] as string
    if (ch === ':') return c
    if (!whitespace && /[A-Za-z0-9-]/.test(ch)) continue
    if (c !== 0 && (ch === ' ' || ch === '\t')) {
      whitespace = true
      continue
    }
    break
  }
  return -1
}

function trailerStart(text: string, len: number): number {
  let s = 0
  for (; s < len; s = nextLine(text, s)) {
    if (text[s] === '#') continue
    if (isBlank(lineAt(text, s))) break
  }
  const endOfTitle = s
  let onlySpaces = true
  let recognizedPrefix = false
  let trailerLines = 0
  let nonTrailerLines = 0
  let possibleContinuation = 0
  for (let l = lastLine(text, len); l >= endOfTitle; l = lastLine(text, l)) {
    const line = lineAt(text, l)
    if (line.startsWith('#')) {
      nonTrailerLines += possibleContinuation
      possibleContinuation = 0
      continue
    }
    if (isBlank(line)) {
      if (onlySpaces) continue
      nonTrailerLines += possibleContinuation
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return nextLine(text, l)
      if (trailerLines > 0 && nonTrailerLines === 0) return nextLine(text, l)
      return len
    }
    onlySpaces = false
    if (GIT_GENERATED_PREFIXES.some((p) => line.startsWith(p))) {
      trailerLines++
      possibleContinuation = 0
      recognizedPrefix = true
      continue
    }
    const sep = separatorAt(line)
    if (sep >= 1 && !/^[ \t\r\n]/.test(line)) {
      trailerLines++
      possibleContinuation = 0
    } else if (/^[ \t\r\n]/.test(line)) possibleContinuation++
    else {
      nonTrailerLines++
      nonTrailerLines += possibleContinuation
      possibleContinuation = 0
    }
  }
  return len
}

// commit.c's ignore_non_trailer: trailing comment and blank lines (and an old "Conflicts:" block).
function ignoredTail(text: string): number {
  let boc = 0
  let bol = 0
  let inConflicts = false
  while (bol < text.length) {
    const next = nextLine(text, bol)
    if (text[bol] === '#' || text[bol] === '\n') {
      if (!boc) boc = bol
    } else if (text.startsWith('Conflicts:\n', bol)) {
      inConflicts = true
      if (!boc) boc = bol
    } else if (inConflicts && text[bol] === '\t') {
      // a path in the old conflicts block
    } else if (boc) {
      boc = 0
      inConflicts = false
    }
    bol = next
  }
  return boc ? text.length - boc : 0
}
