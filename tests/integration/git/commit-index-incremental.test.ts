import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { openCommitIndexWithSource } from '../../../src/main/core/git/commit-index-open'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { seededRandom } from '../../../src/shared/seeded-random'
import { randomImportHistory } from './commit-index-random-history'

// An index extended after fetches (only the new commits read and laid in among the old) must answer exactly
// as one built from scratch on the same refs, and as git does: records, generations, ancestry, ranges.

const COUNT = 2400
const STAGES = [900, 1500, 2100, COUNT]

let repo: TestRepo
let work: string
let shas: string[]
let parentsOf: number[][]

/** Commits of the prefix [0, end) that no other commit of the prefix has as a parent. */
function tipsBefore(end: number): number[] {
  const child = new Uint8Array(end)
  for (let i = 0; i < end; i++) for (const p of parentsOf[i] ?? []) child[p] = 1
  return Array.from({ length: end }, (_, i) => i).filter((i) => !child[i])
}

beforeAll(() => {
  work = tmpDir('trainyard-incremental-')
  repo = createRepo({ dir: join(work, 'repo') })
  const history = randomImportHistory(17, COUNT, { lanes: 10 })
  parentsOf = history.commits.map((c) => c.parents.filter((p): p is number => typeof p === 'number'))
  shas = repo.fastImport(history.commits, [])
  for (const ref of repo.git('for-each-ref', '--format=%(refname)').split('\n').filter(Boolean))
    repo.git('update-ref', '-d', ref)
})

afterAll(() => removeDir(work))

function sameAnswers(grown: CommitIndex, scratch: CommitIndex, seed: number): void {
  expect(grown.size).toBe(scratch.size)
  for (let pos = 0; pos < scratch.size; pos++) expect(grown.recordAt(pos)).toEqual(scratch.recordAt(pos))
  const random = seededRandom(seed)
  const any = (): string => scratch.shaAt(Math.floor(random() * scratch.size))
  for (let q = 0; q < 3000; q++) {
    const [a, b] = [any(), any()]
    expect(grown.isAncestor(a, b), `${a} ancestor of ${b}`).toBe(scratch.isAncestor(a, b))
  }
  for (let q = 0; q < 60; q++) {
    const [a, b] = [any(), any()]
    expect(grown.range(a, b)).toEqual(scratch.range(a, b))
    expect(grown.mergeBases(a, b)).toEqual(scratch.mergeBases(a, b))
  }
  // And git itself, on a sample.
  for (let q = 0; q < 12; q++) {
    const [a, b] = [any(), any()]
    const git = repo.git('rev-list', '--count', `${a}..${b}`)
    expect(grown.range(a, b).length, `${a}..${b}`).toBe(Number(git))
  }
}

describe('the commit index after fetches', () => {
  it('extended stage by stage, answers as one built from scratch and as git', async () => {
    const grownFile = join(work, 'grown.bin')
    const tips = new Set<number>()
    for (const [stage, end] of STAGES.entries()) {
      for (const tip of tipsBefore(end)) tips.add(tip)
      for (const tip of tips) repo.git('update-ref', `refs/heads/t${tip}`, shas[tip] as string)
      const grown = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile: grownFile })
      const scratch = await openCommitIndexWithSource({
        gitdir: repo.gitdir,
        cacheFile: join(work, `scratch-${stage}.bin`),
      })
      expect(grown.source).toBe(stage === 0 ? 'built' : 'updated')
      expect(scratch.source).toBe('built')
      expect(scratch.index.size).toBe(end)
      expect(grown.commitsRead).toBe(end - (stage === 0 ? 0 : (STAGES[stage - 1] as number)))
      sameAnswers(grown.index, scratch.index, stage)
      // What was appended reads back from the cache file as it was written.
      const reloaded = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile: grownFile })
      expect(reloaded.source).toBe('loaded')
      sameAnswers(reloaded.index, scratch.index, stage + 10)
    }
  }, 180_000)
})
