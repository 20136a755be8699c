import * as fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/shared/seeded-random'
import { buildPickHistory, gitCherryPick, realSourceLines } from '../../../bench/cherry-pick.bench'
import type { PickHistory } from '../../../bench/cherry-pick.bench'
import { planCherryPicks, writeCherryPicks } from '../../../src/main/core/git/cherry-pick'
import { TEST_AUTHOR } from '../../support/git-repo'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'

// A sweep over a history made of real source lines (isomorphic-git's own bundle, from node_modules):
// braces, blank lines and repeated statements everywhere, which is where diff alignment gets hard.
const PICK_TIME = 1_800_000_000

describe('cherry-pick on a history of real source code', { timeout: DIFFERENTIAL_TIMEOUT_MS }, () => {
  let h: PickHistory
  const cache = {}
  beforeAll(() => {
    h = buildPickHistory(31337, 60, { realLines: realSourceLines(), linesPerFile: 400 })
  })
  afterAll(() => h.cleanup())

  it('agrees with git cherry-pick -x on every pick onto an older branch point', async () => {
    const rnd = seededRandom(11)
    const mismatches: string[] = []
    let clean = 0
    let stopped = 0
    for (let round = 0; round < 90; round++) {
      const i = 1 + Math.floor(rnd() * (h.commits.length - 2))
      const j = i + 1 + Math.floor(rnd() * (h.commits.length - i - 1))
      const onto = h.commits[i] as string
      const picked = h.commits[j] as string
      const plan = await planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: [picked] })
      const git = gitCherryPick(h, onto, [picked], PICK_TIME)
      if (git.ok) {
        clean++
        const sha = plan.ok
          ? await writeCherryPicks(plan, { committer: { ...TEST_AUTHOR, timestamp: PICK_TIME, timezoneOffset: 0 } })
          : JSON.stringify(plan.conflicts)
        if (sha !== git.sha) mismatches.push(`onto ${onto} pick ${picked}: git ${git.sha}, we ${sha}`)
      } else {
        stopped++
        const ours = plan.ok ? [] : (plan.conflicts[0]?.paths.map((p) => p.path).sort() ?? [])
        if (plan.ok || JSON.stringify(ours) !== JSON.stringify([...git.unmerged].sort())) {
          mismatches.push(
            `onto ${onto} pick ${picked}: git stopped on ${git.unmerged.join(',')}, we ${JSON.stringify(ours)}`,
          )
        }
      }
    }
    expect(mismatches).toEqual([])
    expect(clean).toBeGreaterThan(20)
    expect(stopped).toBeGreaterThan(10)
  })
})
