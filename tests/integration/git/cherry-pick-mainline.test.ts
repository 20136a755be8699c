import * as fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/shared/seeded-random'
import { buildPickHistory, pickAgainstGit } from '../../../bench/cherry-pick.bench'
import type { PickHistory } from '../../../bench/cherry-pick.bench'
import { planCherryPicks } from '../../../src/main/core/git/cherry-pick'
import { gitEnv } from '../../support/git-repo'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'

// Differential test: merges picked against their first parent, ours against `git cherry-pick -x -m 1`.
const PICK_TIME = 1_800_000_000

describe('cherry-pick -m 1 matches git cherry-pick -x -m 1', { timeout: DIFFERENTIAL_TIMEOUT_MS }, () => {
  let h: PickHistory
  const cache = {}
  const merges: string[] = []
  beforeAll(() => {
    h = buildPickHistory(20261207, 40)
    // Merge commits made with commit-tree: mainline a, second parent c, the tree of b. Picking one against its
    // first parent applies a→b, as a pull request merged into a would; c only makes it a real merge.
    const rnd = seededRandom(11)
    const at = (n: number): string => h.commits[Math.floor(rnd() * n)] as string
    for (let i = 0; i < 40; i++) {
      const a = 1 + Math.floor(rnd() * (h.commits.length - 3))
      const b = a + 1 + Math.floor(rnd() * 3)
      const tree = h.git(['rev-parse', `${h.commits[b] as string}^{tree}`]).trim()
      const message = `Merge pull request #${100 + i} from acme/topic-${i}\n\nTopic ${i}`
      const merge = h.git(
        ['commit-tree', tree, '-p', h.commits[a] as string, '-p', at(h.commits.length), '-m', message],
        {
          env: gitEnv(1_750_000_000 + i * 60, { name: 'Merger', email: 'merger@example.test' }),
        },
      )
      merges.push(merge.trim())
    }
  })
  afterAll(() => h.cleanup())

  it('gives the same commits, conflicts and empty picks for merges, alone and after a plain commit', async () => {
    const rnd = seededRandom(5)
    const stats = { clean: 0, conflict: 0, empty: 0 }
    const mismatches: string[] = []
    for (let round = 0; round < 45; round++) {
      const merge = merges[round % merges.length] as string
      const onto = h.commits[Math.floor(rnd() * h.commits.length)] as string
      const picks = round % 5 === 4 ? [h.commits[Math.floor(rnd() * h.commits.length)] as string, merge] : [merge]
      const { outcome, mismatch } = await pickAgainstGit(h, cache, onto, picks, PICK_TIME, 1)
      stats[outcome]++
      if (mismatch !== undefined) mismatches.push(mismatch)
    }
    expect(mismatches).toEqual([])
    // Every outcome must occur, or the comparison proves little.
    expect(stats.clean).toBeGreaterThan(8)
    expect(stats.conflict).toBeGreaterThan(8)
    expect(stats.empty).toBeGreaterThan(8)
  })

  it('refuses a merge without a mainline, a parent it does not have, and -m 2 on a plain commit', async () => {
    const merge = merges[0] as string
    const onto = h.commits[0] as string
    await expect(planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: [merge] })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('-m 1') as unknown,
    })
    await expect(
      planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: [merge], mainline: 3 }),
    ).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(
      planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: [h.commits[5] as string], mainline: 2 }),
    ).rejects.toMatchObject({ code: 'invalid-input' })
  })
})
