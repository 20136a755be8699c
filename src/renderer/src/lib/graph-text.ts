import type { GraphRow } from '../../../shared/models/graph'

/** A label drawn before a commit's subject: a branch or tag, an environment pin, a train, or "+N" for labels left out. */
export interface Pill {
  kind: 'ref' | 'pin' | 'train' | 'more'
  /** The branch, environment or train it names (for "more": how many were left out). */
  name: string
  text: string
  x: number
  width: number
}

/** Where each piece of a row's text goes; a piece that gave way is absent. */
export interface RowText {
  pills: Pill[]
  subject?: { x: number; room: number }
  author?: { x: number; text: string }
  sha?: { x: number; text: string }
}

/** Horizontal spacing of the row text, in CSS pixels at the root font size (scaled with it). */
export interface TextMetrics {
  /** Padding inside a pill, each side. */
  pillPad: number
  /** Gap between pieces. */
  gap: number
  /** The least room worth giving a subject before the pills and columns give way. */
  minSubject: number
}

/** The spacing at a 16 px root font, multiplied by `scale` (root font size / 16). */
export function textMetrics(scale = 1): TextMetrics {
  return { pillPad: 6 * scale, gap: 4 * scale, minSubject: 120 * scale }
}

/** The texts of a row's pills, in drawing order: branches and tags, environment pins, trains. */
export function pillTexts(row: GraphRow): Omit<Pill, 'x' | 'width'>[] {
  return [
    ...row.refs.map((name) => ({ kind: 'ref' as const, name, text: name })),
    ...row.pins.map((name) => ({ kind: 'pin' as const, name, text: `⚑ ${name}` })),
    ...row.trains.map((name) => ({ kind: 'train' as const, name, text: `▶ train ${name}` })),
  ]
}

/**
 * Lays out a row's text between `left` (the right edge of the lanes) and `right`, never past either: the author
 * gives way first, then the short SHA, then pills (the rest folded into "+N"), and the subject last.
 */
export function layoutRowText(
  row: GraphRow,
  left: number,
  right: number,
  measure: (text: string) => number,
  metrics: TextMetrics = textMetrics(),
): RowText {
  const { pillPad, gap, minSubject } = metrics
  const out: RowText = { pills: [] }
  if (right - left < measure('…') + gap) return out
  const pillWidth = (text: string) => measure(text) + pillPad * 2
  const wanted = pillTexts(row)
  const allPills = wanted.reduce((sum, p) => sum + pillWidth(p.text) + gap, 0)
  const sha = row.sha.slice(0, 8)
  const shaWidth = measure(sha) + gap * 2
  const authorWidth = measure(`${row.author} · `)
  const room = right - left
  // What the right-hand columns may take: only what the pills and a readable subject leave over.
  const keepSha = room - allPills - minSubject >= shaWidth
  const keepAuthor = keepSha && room - allPills - minSubject - shaWidth >= authorWidth
  let end = right
  if (keepSha) {
    end -= shaWidth
    out.sha = { x: end + gap * 2, text: sha }
  }
  if (keepAuthor) {
    end -= authorWidth
    out.author = { x: end + gap, text: `${row.author} ·` }
  }
  let x = left
  // Pills give way before the subject: they may only use what a readable subject leaves.
  const pillLimit = end - Math.min(minSubject, end - left)
  for (let i = 0; i < wanted.length; i++) {
    const pill = wanted[i]
    if (pill === undefined) break
    const width = pillWidth(pill.text)
    const rest = wanted.length - i - 1
    const more = rest > 0 ? pillWidth(`+${rest}`) + gap : 0
    if (x + width + more > pillLimit) {
      const text = `+${wanted.length - i}`
      const folded = pillWidth(text)
      if (x + folded <= pillLimit) {
        out.pills.push({ kind: 'more', name: String(wanted.length - i), text, x, width: folded })
        x += folded + gap
      }
      break
    }
    out.pills.push({ ...pill, x, width })
    x += width + gap
  }
  const subjectRoom = end - x - gap
  if (subjectRoom >= measure('…') * 3) out.subject = { x: x + 2, room: subjectRoom }
  return out
}

/** `text` cut with an ellipsis to fit `room` pixels. */
export function fit(measure: (t: string) => number, text: string, room: number): string {
  if (room <= 0) return ''
  if (measure(text) <= room) return text
  let lo = 0
  let hi = text.length
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (measure(`${text.slice(0, mid)}…`) <= room) lo = mid
    else hi = mid - 1
  }
  return `${text.slice(0, lo)}…`
}
