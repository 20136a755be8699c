import { describe, expect, it } from 'vitest'
import { mergeLines } from '../../../src/main/core/git/merge/line-merge'
import { pickMessage } from '../../../src/main/core/git/merge/pick-message'

// Expectations match `git merge-file` / `git cherry-pick` on the same inputs (git 2.39).
const b = (s: string): Buffer => Buffer.from(s, 'latin1')
const BASE = '1\n2\n3\n4\n5\n'

describe('mergeLines (as git xdl_merge)', () => {
  it('merges changes that are apart', () => {
    const r = mergeLines(b(BASE), b('1\nX\n3\n4\n5\n'), b('1\n2\n3\n4\nY\n'))
    expect(r).toEqual({ clean: true, merged: b('1\nX\n3\n4\nY\n') })
  })

  it('conflicts on changes to adjacent lines, as git does', () => {
    const r = mergeLines(b(BASE), b('1\nX\n3\n4\n5\n'), b('1\n2\nY\n4\n5\n'))
    expect(r).toEqual({
      clean: false,
      hunks: [{ base: { start: 1, count: 2 }, ours: { start: 1, count: 2 }, theirs: { start: 1, count: 2 } }],
    })
  })

  it('conflicts on two insertions at the same place unless they are identical', () => {
    expect(mergeLines(b(BASE), b('1\n2\nA\n3\n4\n5\n'), b('1\n2\nB\n3\n4\n5\n')).clean).toBe(false)
    expect(mergeLines(b(BASE), b('1\n2\nA\n3\n4\n5\n'), b('1\n2\nA\n3\n4\n5\n'))).toEqual({
      clean: true,
      merged: b('1\n2\nA\n3\n4\n5\n'),
    })
  })

  it('takes an identical change on both sides once, next to a one-sided change', () => {
    const r = mergeLines(b(BASE), b('1\nX\n3\n4\n5\n'), b('1\nX\n3\n4\nY\n'))
    expect(r).toEqual({ clean: true, merged: b('1\nX\n3\n4\nY\n') })
  })

  it('keeps non-UTF-8 bytes and a missing final newline exactly', () => {
    const r = mergeLines(b('caf\xe9\nmid\nend'), b('caf\xe9 cr\xe8me\nmid\nend'), b('caf\xe9\nmid\nend\xff'))
    expect(r).toEqual({ clean: true, merged: b('caf\xe9 cr\xe8me\nmid\nend\xff') })
  })

  it('merges an edit at the top of a 5,000-line changelog with one near the bottom', () => {
    const entries = Array.from({ length: 5000 }, (_, i) => `- ${i}: fixed (#${i})\n`).join('')
    const top = Array.from({ length: 20 }, (_, i) => `- new ${i}\n`).join('')
    const r = mergeLines(
      b(`# Log\n\n${entries}`),
      b(`# Log\n\n${entries.replace('- 4990:', '- 4990 (backport):')}`),
      b(`# Log\n\n${top}${entries}`),
    )
    expect(r).toEqual({ clean: true, merged: b(`# Log\n\n${top}${entries.replace('- 4990:', '- 4990 (backport):')}`) })
  })
})

describe('pickMessage (git cherry-pick -x)', () => {
  const sha = 'a'.repeat(40)
  it('adds a blank line before the trailer after an ordinary body', () => {
    expect(pickMessage(b('Fix it\n\nBecause.\n'), sha).toString()).toBe(
      `Fix it\n\nBecause.\n\n(cherry picked from commit ${sha})\n`,
    )
  })
  it('appends directly to an existing trailer block', () => {
    expect(pickMessage(b('Fix it\n\nSigned-off-by: A <a@x>\n'), sha).toString()).toBe(
      `Fix it\n\nSigned-off-by: A <a@x>\n(cherry picked from commit ${sha})\n`,
    )
  })
  it('never treats the subject line as a trailer, and completes a missing newline', () => {
    expect(pickMessage(b('Key: value'), sha).toString()).toBe(`Key: value\n\n(cherry picked from commit ${sha})\n`)
  })
})
