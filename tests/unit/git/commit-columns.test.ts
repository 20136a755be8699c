import { describe, expect, it } from 'vitest'
import { buildColumns, type CommitColumns } from '../../../src/main/core/git/commit-columns'
import { appendColumns } from '../../../src/main/core/git/commit-columns-append'
import type { ParsedCommit } from '../../../src/main/core/git/commit-parse'
import { CommitIndex } from '../../../src/main/core/git/commit-index'

// Names sharing their first 32 bits (one pair in ~20k commits of a real history shares them) must still be laid
// out in order, or a binary search misses them and the index says a commit is not in the clone.

function commit(sha: string, parents: string[], time: number): ParsedCommit {
  return { sha, parents, time, authorName: 'A', authorEmail: 'a@example.test', subject: `Commit ${sha.slice(0, 12)}` }
}

/** A chain of commits whose names share a few 32-bit prefixes and differ after them, in scrambled order. */
function chain(prefixes: string[], length: number, salt: string, from?: string): ParsedCommit[] {
  const out: ParsedCommit[] = []
  let parent = from
  for (let i = 0; i < length; i++) {
    const head = prefixes[(i * 7) % prefixes.length] as string
    const tail = `${salt}${(length - i).toString(16)}`.padStart(32, '9').slice(-32)
    const sha = head + tail
    out.push(commit(sha, parent ? [parent] : [], 1_700_000_000 + i))
    parent = sha
  }
  return out
}

function expectSorted(columns: CommitColumns): void {
  for (let i = 1; i < columns.count; i++) {
    const previous = columns.oids.toString('hex', (i - 1) * 20, i * 20)
    const current = columns.oids.toString('hex', i * 20, i * 20 + 20)
    expect(previous < current, `${previous} before ${current}`).toBe(true)
  }
}

describe('commit columns', () => {
  const prefixes = ['383427db', 'a9889c1b', '00000000', 'ffffffff']

  it('orders names that share their first 32 bits, so every commit is found', () => {
    const commits = chain(prefixes, 40, 'a')
    const columns = buildColumns(commits)
    expectSorted(columns)
    const index = new CommitIndex(columns, new Map())
    for (const c of commits) expect(index.has(c.sha), c.sha).toBe(true)
  })

  it('keeps them in order when new commits are laid in among the old', () => {
    const old = chain(prefixes, 40, 'a')
    const fresh = chain(prefixes, 25, 'b', (old.at(-1) as ParsedCommit).sha)
    const columns = appendColumns(buildColumns(old), fresh)
    expectSorted(columns)
    const index = new CommitIndex(columns, new Map())
    for (const c of [...old, ...fresh]) expect(index.has(c.sha), c.sha).toBe(true)
    const tip = (fresh.at(-1) as ParsedCommit).sha
    expect(index.isAncestor((old[0] as ParsedCommit).sha, tip)).toBe(true)
    expect(index.get(tip)?.generation).toBe(65)
    expect(index.range((old.at(-1) as ParsedCommit).sha, tip)).toHaveLength(25)
  })
})
