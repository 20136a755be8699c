import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/shared/seeded-random'
import { buildPickHistory, pickAgainstGit } from '../../../bench/cherry-pick.bench'
import type { PickHistory } from '../../../bench/cherry-pick.bench'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'

// Differential test: our in-memory cherry-pick against `git cherry-pick -x` in a worktree, on a
// seeded random history, picking later commits onto earlier branch points (and some sequences).
const PICK_TIME = 1_800_000_000

describe('cherry-pick matches git cherry-pick -x', { timeout: DIFFERENTIAL_TIMEOUT_MS }, () => {
  let h: PickHistory
  const cache = {}
  beforeAll(() => {
    h = buildPickHistory(20261122, 70)
  })
  afterAll(() => h.cleanup())

  it('gives the same commits, the same conflicts and the same empty picks on 200+ picks', async () => {
    const rnd = seededRandom(7)
    const stats = { clean: 0, conflict: 0, empty: 0, picks: 0 }
    const mismatches: string[] = []
    for (let round = 0; round < 175; round++) {
      const i = 1 + Math.floor(rnd() * (h.commits.length - 2))
      const sequence = round % 6 === 5
      const picks: string[] = []
      if (sequence) {
        for (let j = i + 1; j < h.commits.length && picks.length < 3; j += 1 + Math.floor(rnd() * 4))
          picks.push(h.commits[j] as string)
      } else {
        // Mostly forward ports; one in eight picks a commit already on `onto` (git calls it empty).
        const j = rnd() < 0.125 ? 1 + Math.floor(rnd() * i) : i + 1 + Math.floor(rnd() * (h.commits.length - i - 1))
        picks.push(h.commits[j] as string)
      }
      if (picks.length === 0) continue
      stats.picks += picks.length
      const onto = h.commits[i] as string
      const { outcome, mismatch } = await pickAgainstGit(h, cache, onto, picks, PICK_TIME)
      stats[outcome]++
      if (mismatch !== undefined) mismatches.push(mismatch)
    }
    expect(mismatches).toEqual([])
    expect(stats.picks).toBeGreaterThanOrEqual(200)
    // The history must exercise every outcome, or the comparison proves little.
    expect(stats.clean).toBeGreaterThan(40)
    expect(stats.conflict).toBeGreaterThan(20)
    expect(stats.empty).toBeGreaterThan(5)
  })
})
