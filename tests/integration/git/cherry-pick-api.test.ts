import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planCherryPicks, writeCherryPicks } from '../../../src/main/core/git/cherry-pick'
import type { CherryPickPlan } from '../../../src/main/core/git/cherry-pick'
import { AppError } from '../../../src/shared/errors'
import { cloneRepo, createRepo, gitEnv } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

const COMMITTER = {
  name: 'Release Captain',
  email: 'captain@example.test',
  timestamp: 1_800_000_000,
  timezoneOffset: -120,
}

function objectCount(gitdir: string): number {
  let n = 0
  for (const d of fs.readdirSync(join(gitdir, 'objects')))
    if (/^[0-9a-f]{2}$/.test(d)) n += fs.readdirSync(join(gitdir, 'objects', d)).length
  return n
}

function clean(plan: CherryPickPlan): Extract<CherryPickPlan, { ok: true }> {
  if (!plan.ok) throw new Error(`expected a clean plan, got ${JSON.stringify(plan.conflicts)}`)
  return plan
}

describe('planCherryPicks / writeCherryPicks', () => {
  let repo: TestRepo
  const cache = {}
  const shas: Record<string, string> = {}
  const latin1 = Buffer.from('caf\xe9 cr\xe8me \xff\xfe\n', 'latin1')

  beforeAll(() => {
    repo = createRepo({ bare: false })
    shas.base = repo.commit('Base', { 'a.txt': 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n', 'b.txt': 'b\n' })
    repo.branch('release')
    shas.fix = repo.commit('Fix two\n\nSigned-off-by: Dev <dev@example.test>', {
      'a.txt': 'one\nTWO\nthree\nfour\nfive\nsix\nseven\n',
    })
    fs.writeFileSync(join(repo.path, 'bytes.txt'), latin1)
    shas.bytes = repo.commit('Non-UTF-8 content', {})
    shas.six = repo.commit('Fix six', { 'a.txt': 'one\nTWO\nthree\nfour\nfive\nSIX\nseven\n' })
    repo.checkout('release')
    shas.releaseTip = repo.commit('Release tweak', {
      'a.txt': 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n',
      'c.txt': 'c\n',
    })
    shas.conflicting = repo.commit('Touch three', { 'a.txt': 'one\ntwo\nTHREE\nfour\nfive\nsix\nseven\n' })
    repo.git('checkout', '-q', '-b', 'topic', shas.base)
    repo.commit('Topic', { 'd.txt': 'd\n' })
    repo.git('checkout', '-q', '-b', 'merged', shas.base)
    repo.commit('Other', { 'e.txt': 'e\n' })
    shas.merge = repo.merge('topic')
  })
  afterAll(() => repo.cleanup())

  it('plans in memory, writes nothing until asked, and moves no ref', async () => {
    const before = objectCount(repo.gitdir)
    const heads = repo.git('show-ref')
    const plan = clean(
      await planCherryPicks({
        fs,
        gitdir: repo.gitdir,
        cache,
        onto: shas.releaseTip as string,
        commits: [shas.fix as string, shas.bytes as string, shas.six as string],
      }),
    )
    expect(plan.picks.map((p) => p.commit)).toEqual([shas.fix, shas.bytes, shas.six])
    expect(objectCount(repo.gitdir)).toBe(before)
    const tip = await writeCherryPicks(plan, { committer: COMMITTER })
    expect(repo.git('show-ref')).toBe(heads)
    expect(repo.git('rev-list', '--count', `${shas.releaseTip}..${tip}`)).toBe('3')
    expect(repo.git('rev-parse', `${tip}^{tree}`)).toBe(plan.picks[2]?.tree)
    expect(repo.git('show', `${tip}:a.txt`)).toBe('one\nTWO\nthree\nfour\nfive\nSIX\nseven')
    expect(execFileSync('git', ['show', `${tip}:bytes.txt`], { cwd: repo.path, env: gitEnv() }).equals(latin1)).toBe(
      true,
    )
    expect(repo.git('log', '-1', '--format=%cn <%ce> %ct %ci', tip)).toBe(
      'Release Captain <captain@example.test> 1800000000 2027-01-15 10:00:00 +0200',
    )
  })

  it('writes the trailer exactly like git cherry-pick -x, after a Signed-off-by without a blank line', async () => {
    const plan = clean(
      await planCherryPicks({
        fs,
        gitdir: repo.gitdir,
        cache,
        onto: shas.releaseTip as string,
        commits: [shas.fix as string],
      }),
    )
    const tip = await writeCherryPicks(plan, { committer: COMMITTER })
    expect(repo.git('log', '-1', '--format=%B', tip)).toBe(
      `Fix two\n\nSigned-off-by: Dev <dev@example.test>\n(cherry picked from commit ${shas.fix})\n`,
    )
    expect(repo.git('log', '-1', '--format=%an <%ae> %at', tip)).toBe(
      repo.git('log', '-1', '--format=%an <%ae> %at', shas.fix as string),
    )
  })

  it('reports a content conflict with its hunks, and an empty pick as empty', async () => {
    const plan = await planCherryPicks({
      fs,
      gitdir: repo.gitdir,
      cache,
      onto: shas.conflicting as string,
      commits: [shas.fix as string, shas.releaseTip as string],
    })
    expect(plan.ok).toBe(false)
    if (plan.ok) return
    expect(plan.conflicts).toEqual([
      {
        commit: shas.fix,
        reason: 'conflict',
        paths: [
          {
            path: 'a.txt',
            kind: 'content',
            hunks: [{ base: { start: 1, count: 2 }, ours: { start: 1, count: 2 }, theirs: { start: 1, count: 2 } }],
          },
        ],
      },
      { commit: shas.releaseTip, reason: 'empty', paths: [] },
    ])
  })

  it('works the same in a bare clone, reading from packs', async () => {
    const bare = cloneRepo(repo.path, { bare: true })
    try {
      const request = { fs, onto: shas.releaseTip as string, commits: [shas.fix as string, shas.six as string] }
      const here = clean(await planCherryPicks({ ...request, gitdir: repo.gitdir, cache }))
      const there = clean(await planCherryPicks({ ...request, gitdir: bare.gitdir, cache: {} }))
      expect(there.picks).toEqual(here.picks)
      const tip = await writeCherryPicks(there, { committer: COMMITTER })
      expect(bare.git('cat-file', '-t', tip)).toBe('commit')
      expect(bare.git('fsck', '--no-dangling')).toBe('')
    } finally {
      bare.cleanup()
    }
  })

  it('refuses to pick a merge commit', async () => {
    const plan = planCherryPicks({
      fs,
      gitdir: repo.gitdir,
      cache,
      onto: shas.releaseTip as string,
      commits: [shas.merge as string],
    })
    await expect(plan).rejects.toBeInstanceOf(AppError)
    await expect(plan).rejects.toMatchObject({ code: 'unsupported' })
  })

  it('says which sha is missing from the clone', async () => {
    await expect(
      planCherryPicks({
        fs,
        gitdir: repo.gitdir,
        cache,
        onto: shas.releaseTip as string,
        commits: ['0123456789012345678901234567890123456789'],
      }),
    ).rejects.toMatchObject({ code: 'sha-not-in-clone' })
  })
})
