import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildColumns } from '../../../src/main/core/git/commit-columns'
import { CommitIndex } from '../../../src/main/core/git/commit-index'
import { readIndexFile, writeIndexFile } from '../../../src/main/core/git/commit-index-file'
import type { ParsedCommit } from '../../../src/main/core/git/commit-parse'

// Small hand-made histories with chosen SHAs; git-backed differential tests live in tests/integration/git.

const sha = (prefix: string): string => prefix.padEnd(40, '0')
function commit(id: string, parents: string[], time: number, subject = `Commit ${id}`): ParsedCommit {
  return { sha: sha(id), parents: parents.map(sha), time, authorName: 'A', authorEmail: 'a@example.org', subject }
}

/*
 * Criss-cross: r ← a ← c1, r ← b ← c2; m1 = merge(a, b), m2 = merge(b, a); x on m1, y on m2.
 * x and y have two best common ancestors, a and b.
 */
const history = [
  commit('ab01', [], 1),
  commit('ab02', ['ab01'], 2),
  commit('ab03', ['ab01'], 3),
  commit('c1', ['ab02', 'ab03'], 4, 'Merge pull request #9 from org/b'),
  commit('c2', ['ab03', 'ab02'], 5),
  commit('d1', ['c1'], 6, 'Tidy (#9)'),
  commit('d2', ['c2'], 7),
  commit('e0', [], 8, 'Unrelated root'),
  commit('beef1', [], 10),
  commit('beef2', ['beef1'], 11),
]
const refs = new Map([
  ['refs/heads/master', sha('d1')],
  ['refs/heads/other', sha('d2')],
  ['refs/remotes/origin/master', sha('c1')],
  ['refs/tags/v1', sha('ab02')],
  ['refs/tags/ab03', sha('e0')],
])
const index = new CommitIndex(buildColumns(history), refs)
const dir = mkdtempSync(join(tmpdir(), 'trainyard-index-unit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('CommitIndex on a criss-cross history', () => {
  it('finds both best common ancestors', () => {
    expect(index.mergeBases(sha('d1'), sha('d2'))).toEqual([sha('ab02'), sha('ab03')])
    expect([sha('ab02'), sha('ab03')]).toContain(index.mergeBase(sha('d1'), sha('d2')))
    expect(index.mergeBases(sha('d1'), sha('e0'))).toEqual([])
    expect(index.mergeBase(sha('d1'), sha('e0'))).toBeUndefined()
    expect(index.mergeBases(sha('d1'), sha('ab02'))).toEqual([sha('ab02')])
  })

  it('answers ancestry both ways', () => {
    expect(index.isAncestor(sha('ab01'), sha('d2'))).toBe(true)
    expect(index.isAncestor(sha('d2'), sha('ab01'))).toBe(false)
    expect(index.isAncestor(sha('c1'), sha('d2'))).toBe(false)
    expect(index.isAncestor(sha('d1'), sha('d1'))).toBe(true)
    expect(index.isAncestor(sha('e0'), sha('d1'))).toBe(false)
  })

  it('lists ranges newest first and counts ahead/behind', () => {
    expect(index.range(sha('d2'), sha('d1'))).toEqual([sha('d1'), sha('c1')])
    expect(index.range([sha('d2'), sha('c1')], sha('d1'))).toEqual([sha('d1')])
    expect(index.aheadBehind(sha('d1'), sha('d2'))).toEqual({ ahead: 2, behind: 2 })
    expect(index.aheadBehind(sha('d1'), sha('ab01'))).toEqual({ ahead: 4, behind: 0 })
  })

  it('computes topological levels', () => {
    expect(['ab01', 'ab03', 'c1', 'd1', 'e0'].map((id) => index.get(sha(id))?.generation)).toEqual([1, 2, 3, 4, 1])
  })

  it('finds commits by pull request, newest first', () => {
    expect(index.findByPr(9)).toEqual([sha('d1'), sha('c1')])
    expect(index.get(sha('c1'))?.pr).toBe(9)
  })
})

describe('CommitIndex.resolve', () => {
  it('reports an ambiguous prefix with its candidates', () => {
    expect(index.resolvePrefix('ab0')).toEqual([sha('ab01'), sha('ab02'), sha('ab03')])
    expect(() => index.resolve('beef')).toThrow(
      expect.objectContaining({ code: 'ambiguous-sha', details: { candidates: [sha('beef1'), sha('beef2')] } }),
    )
    expect(index.resolve('AB010')).toBe(sha('ab01'))
  })

  it('prefers refs in git’s order: tags before branches before remotes, refs before SHA prefixes', () => {
    expect(index.resolve('ab03')).toBe(sha('e0'))
    expect(index.resolve('v1')).toBe(sha('ab02'))
    expect(index.resolve('master')).toBe(sha('d1'))
    expect(index.resolve('origin/master')).toBe(sha('c1'))
    expect(index.resolve('refs/heads/other')).toBe(sha('d2'))
  })

  it('says what is missing', () => {
    expect(() => index.resolve('nope')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => index.resolve('abc')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => index.resolve('f'.repeat(40))).toThrow(expect.objectContaining({ code: 'sha-not-in-clone' }))
    expect(() => index.isAncestor('f'.repeat(40), sha('d1'))).toThrow(
      expect.objectContaining({ code: 'sha-not-in-clone' }),
    )
  })
})

describe('index file', () => {
  it('round-trips every column', () => {
    const file = join(dir, 'roundtrip.idx')
    const withPick: ParsedCommit[] = [...history, { ...commit('f1', ['d1'], 9, 'Backport'), pickedFrom: sha('d2') }]
    const columns = buildColumns(withPick)
    writeIndexFile(file, '/repo/.git', columns)
    const back = readIndexFile(file, '/repo/.git')
    expect(back).toBeDefined()
    const again = new CommitIndex(back ?? columns, new Map())
    for (const c of withPick) expect(again.get(c.sha)).toEqual(new CommitIndex(columns, new Map()).get(c.sha))
    expect(again.get(sha('f1'))?.pickedFrom).toBe(sha('d2'))
    expect(readIndexFile(file, '/other/.git')).toBeUndefined()
    expect(readIndexFile(join(dir, 'missing.idx'), '/repo/.git')).toBeUndefined()
  })

  it('reads its texts from the file it opened, even once a rewrite has replaced that file', () => {
    const file = join(dir, 'replaced.idx')
    writeIndexFile(file, '/repo/.git', buildColumns(history))
    const back = readIndexFile(file, '/repo/.git')
    // A rewrite after a fetch renames a new file into place: other commits, other subjects, other offsets.
    const next = history.map((c) => ({ ...c, subject: `${c.subject} rewritten at length`, authorName: 'Someone Else' }))
    writeIndexFile(file, '/repo/.git', buildColumns([...next, commit('aaaa', ['d1'], 12)]))
    const loaded = new CommitIndex(back ?? buildColumns([]), new Map())
    for (const c of history) expect(loaded.get(c.sha)).toEqual(index.get(c.sha))
    expect(new CommitIndex(buildColumns(history), new Map()).get(sha('d1'))?.subject).toBe('Tidy (#9)')
  })

  it('rejects a file corrupted past its first megabyte (checked a piece at a time)', () => {
    const file = join(dir, 'long.idx')
    const long = Array.from({ length: 12_000 }, (_, i) =>
      commit(i.toString(16).padStart(6, '0'), i === 0 ? [] : [(i - 1).toString(16).padStart(6, '0')], i, `Change ${i}`),
    )
    writeIndexFile(file, '/repo/.git', buildColumns(long))
    const bytes = readFileSync(file)
    expect(bytes.length).toBeGreaterThan(1 << 20)
    expect(readIndexFile(file, '/repo/.git')?.count).toBe(12_000)
    bytes[(1 << 20) + 100] = (bytes[(1 << 20) + 100] ?? 0) ^ 0xff
    writeFileSync(file, bytes)
    expect(readIndexFile(file, '/repo/.git')).toBeUndefined()
  })
})
