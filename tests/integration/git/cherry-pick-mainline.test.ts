import * as fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPickHistory, gitCherryPick, prng } from '../../../bench/cherry-pick.bench'
import type { PickHistory } from '../../../bench/cherry-pick.bench'
import { planCherryPicks, writeCherryPicks } from '../../../src/main/core/git/cherry-pick'
import { gitEnv, TEST_AUTHOR } from '../../support/git-repo'

// Differential test: merges picked against their first parent, ours against `git cherry-pick -x -m 1`.
const PICK_TIME = 1_800_000_000

describe('cherry-pick -m 1 matches git cherry-pick -x -m 1', () => {
  let h: PickHistory
  const cache = {}
  const merges: string[] = []
  beforeAll(() => {
    h = buildPickHistory(20261207, 40)
    // Merge commits made with commit-tree: mainline a, second parent c, the tree of b. Picking one against its
    // first parent applies a→b, as a pull request merged into a would; c only makes it a real merge.
    const rnd = prng(11)
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
    const rnd = prng(5)
    const stats = { clean: 0, conflict: 0, empty: 0 }
    const mismatches: string[] = []
    for (let round = 0; round < 60; round++) {
      const merge = merges[round % merges.length] as string
      const onto = h.commits[Math.floor(rnd() * h.commits.length)] as string
      const picks = round % 5 === 4 ? [h.commits[Math.floor(rnd() * h.commits.length)] as string, merge] : [merge]
      const plan = await planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: picks, mainline: 1 })
      const git = gitCherryPick(h, onto, picks, PICK_TIME, ['-m', '1'])
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
    // Both outcomes must occur, or the comparison proves little.
    expect(stats.clean).toBeGreaterThan(10)
    expect(stats.conflict + stats.empty).toBeGreaterThan(5)
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
