import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PagedPackIndex } from '../../../src/main/core/git/objects/pack-index-paged'
import { seededRandom } from '../../../src/shared/seeded-random'
import { createRepo, type ImportCommit, type TestRepo } from '../../support/git-repo'

// The paged `.idx` reader against `git show-index`: every object's offset, and no object that is not there, in a
// pack with enough objects (~24k) that each fanout bucket spans several in-memory samples and many pages.

let repo: TestRepo
let idx: string
let oracle: Map<string, number>

beforeAll(() => {
  repo = createRepo()
  const commits: ImportCommit[] = Array.from({ length: 6_000 }, (_, i) => ({
    ref: 'refs/heads/master',
    parents: i === 0 ? [] : [i - 1],
    message: `Change ${i}\n`,
    time: 1_700_000_000 + i,
    files: { [`d${i % 50}/f${i % 7}.txt`]: `${i}\n` },
  }))
  repo.fastImport(commits)
  repo.git('repack', '-adq')
  const packDir = join(repo.gitdir, 'objects', 'pack')
  idx = join(packDir, readdirSync(packDir).find((n) => n.endsWith('.idx')) as string)
  const lines = repo
    .gitWith(['show-index'], { input: readFileSync(idx) })
    .trim()
    .split('\n')
  oracle = new Map(lines.map((line) => line.split(' ')).map(([offset = '', sha = '']) => [sha, Number(offset)]))
}, 120_000)

afterAll(() => repo?.cleanup())

it('finds every object at git’s offset, and nothing else', () => {
  const index = new PagedPackIndex(idx)
  try {
    expect(index.count).toBe(oracle.size)
    expect(oracle.size).toBeGreaterThan(20_000)
    const wrong = [...oracle].filter(([sha, offset]) => index.offsetOf(Buffer.from(sha, 'hex')) !== offset)
    expect(wrong).toEqual([])
    const rnd = seededRandom(5)
    let found = 0
    const shas = [...oracle.keys()]
    for (let i = 0; i < 2000; i++) {
      // Near misses (a known name with its last byte changed) and names sharing a known 4-byte prefix.
      const near = Buffer.from(shas[Math.floor(rnd() * shas.length)] as string, 'hex')
      near[19] = ((near[19] ?? 0) + 1 + Math.floor(rnd() * 254)) % 256
      if (!oracle.has(near.toString('hex'))) found += index.offsetOf(near) >= 0 ? 1 : 0
    }
    expect(found).toBe(0)
    expect(index.offsetOf(Buffer.alloc(20, 0))).toBe(-1)
    expect(index.offsetOf(Buffer.alloc(20, 0xff))).toBe(-1)
  } finally {
    index.close()
  }
})
