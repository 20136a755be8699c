import { describe, expect, it } from 'vitest'
import { fit, layoutRowText, type RowText } from '../../../src/renderer/src/lib/graph-text'
import type { GraphRow } from '../../../src/shared/models/graph'

// A monospaced stand-in for canvas text measurement: 7 px a character.
const measure = (text: string) => text.length * 7

const row: GraphRow = {
  sha: 'a5316358aaaabbbbccccddddeeeeffff00001111',
  row: 10,
  lane: 0,
  color: 0,
  parents: [],
  subject: 'Merge pull request #183 from acme/add-audit-log-in-config',
  author: 'Dev Patel',
  time: 0,
  refs: ['master'],
  pins: ['staging', 'production-uk'],
  trains: ['ALICIA-2026-12-04'],
}

const LEFT = 60

/** Every piece's horizontal extent, in drawing order. */
function pieces(text: RowText): { what: string; from: number; to: number }[] {
  const out = text.pills.map((p) => ({ what: p.text, from: p.x, to: p.x + p.width }))
  if (text.subject) out.push({ what: 'subject', from: text.subject.x, to: text.subject.x + text.subject.room })
  if (text.author) out.push({ what: 'author', from: text.author.x, to: text.author.x + measure(text.author.text) })
  if (text.sha) out.push({ what: 'sha', from: text.sha.x, to: text.sha.x + measure(text.sha.text) })
  return out
}

describe('the text of a graph row', () => {
  it('shows everything when there is room: pills, subject, author, SHA', () => {
    const text = layoutRowText(row, LEFT, 1200, measure)
    expect(text.pills.map((p) => p.text)).toEqual([
      'master',
      '⚑ staging',
      '⚑ production-uk',
      '▶ train ALICIA-2026-12-04',
    ])
    expect(text.subject).toBeDefined()
    expect(text.author?.text).toBe('Dev Patel ·')
    expect(text.sha?.text).toBe('a5316358')
  })

  it('gives way in order as the view narrows: author, then SHA, then pills, the subject last', () => {
    const seen: string[] = []
    for (let right = 1200; right > LEFT; right -= 5) {
      const text = layoutRowText(row, LEFT, right, measure)
      const state = [
        text.author ? 'author' : '',
        text.sha ? 'sha' : '',
        text.pills.some((p) => p.kind === 'more') || text.pills.length < 4 ? '' : 'all-pills',
        text.subject ? 'subject' : '',
      ].join(' ')
      if (seen[seen.length - 1] !== state) seen.push(state)
    }
    expect(seen).toEqual([
      'author sha all-pills subject',
      ' sha all-pills subject',
      '  all-pills subject',
      '   subject',
      '   ',
    ])
  })

  it('never draws left of the lanes, past the right edge, or one piece over another', () => {
    for (let right = 1200; right > LEFT; right -= 3) {
      const placed = pieces(layoutRowText(row, LEFT, right, measure))
      for (const p of placed) {
        expect(p.from, `${p.what} at width ${right}`).toBeGreaterThanOrEqual(LEFT)
        expect(p.to, `${p.what} at width ${right}`).toBeLessThanOrEqual(right + 0.001)
      }
      const sorted = [...placed].sort((a, b) => a.from - b.from)
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]?.from, `${sorted[i]?.what} after ${sorted[i - 1]?.what} at ${right}`).toBeGreaterThanOrEqual(
          sorted[i - 1]?.to ?? 0,
        )
    }
  })

  it('folds the pills that do not fit into "+N" and keeps a readable subject', () => {
    const text = layoutRowText(row, LEFT, LEFT + 330, measure)
    const more = text.pills.find((p) => p.kind === 'more')
    expect(more?.text).toBe(`+${4 - text.pills.filter((p) => p.kind !== 'more').length}`)
    expect(text.subject?.room).toBeGreaterThanOrEqual(120)
    expect(fit(measure, row.subject, text.subject?.room ?? 0)).toMatch(/…$/)
  })
})
