import * as fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/shared/seeded-random'
import { buildPickHistory, gitCherryPick } from '../../../bench/cherry-pick.bench'
import type { PickHistory } from '../../../bench/cherry-pick.bench'
import { planCherryPicks, writeCherryPicks } from '../../../src/main/core/git/cherry-pick'
import { TEST_AUTHOR } from '../../support/git-repo'
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
      const plan = await planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: picks })
      const git = gitCherryPick(h, onto, picks, PICK_TIME)
      const label = `onto ${onto.slice(0, 8)} pick ${picks.map((p) => p.slice(0, 8)).join(' ')}`
      if (git.ok) {
        stats.clean++
        if (!plan.ok) {
          mismatches.push(`${label}: git picked cleanly, we reported ${JSON.stringify(plan.conflicts)}`)
          continue
        }
        const sha = await writeCherryPicks(plan, {
          committer: { name: TEST_AUTHOR.name, email: TEST_AUTHOR.email, timestamp: PICK_TIME, timezoneOffset: 0 },
        })
        if (sha !== git.sha) mismatches.push(`${label}: git made ${git.sha}, we made ${sha}`)
        continue
      }
      if (git.empty) stats.empty++
      else stats.conflict++
      const first = plan.ok ? undefined : plan.conflicts[0]
      const ours = first && {
        commit: first.commit,
        empty: first.reason === 'empty',
        paths: first.paths.map((p) => p.path).sort(),
      }
      const theirs = { commit: git.stoppedAt, empty: git.empty, paths: [...git.unmerged].sort() }
      if (JSON.stringify(ours) !== JSON.stringify(theirs))
        mismatches.push(`${label}: git ${JSON.stringify(theirs)}, we ${JSON.stringify(ours)}`)
    }
    expect(mismatches).toEqual([])
    expect(stats.picks).toBeGreaterThanOrEqual(200)
    // The history must exercise every outcome, or the comparison proves little.
    expect(stats.clean).toBeGreaterThan(40)
    expect(stats.conflict).toBeGreaterThan(20)
    expect(stats.empty).toBeGreaterThan(5)
  })
})
