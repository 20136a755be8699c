import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlowEstate } from './estate'

/*
 * A pull request's commit was cherry-picked to a release branch: the copy mentions the PR too, and is newer. `#12`
 * must name the commit on master in every command, and compare must see the copies for what they are, both ways.
 */
describe('one resolver for every command, and cherry-picks marked in compare', () => {
  const estate = new FlowEstate()
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    sha.base = estate.commit('billing', '2026-01-05T09:00:00Z', 'Base (#10)', {
      'a.txt': '1\n2\n3\n4\n5\n6\n7\n8\n9\n',
      'b.txt': 'b\n',
    })
    sha.fix = estate.commit('billing', '2026-01-06T09:00:00Z', 'Fix rounding (#12)', {
      'a.txt': '1\n2\nthree\n4\n5\n6\n7\n8\n9\n',
    })
    sha.other = estate.commit('billing', '2026-01-06T10:00:00Z', 'Fix totals (#13)', {
      'a.txt': '1\n2\nthree\n4\n5\n6\n7\n8\nnine\n',
    })
    sha.later = estate.commit('billing', '2026-01-07T09:00:00Z', 'Later work (#14)', { 'c.txt': 'c\n' })
    const repo = estate.repo('billing')
    repo.branch('us-release', sha.base)
    repo.branch('uk-release', sha.base)
    repo.checkout('us-release')
    sha.copy = repo.cherryPick(sha.fix, { trailer: true, date: Date.parse('2026-01-08T09:00:00Z') / 1000 })
    sha.copyPlain = repo.cherryPick(sha.other, { trailer: false, date: Date.parse('2026-01-08T10:00:00Z') / 1000 })
    sha.releaseOnly = repo.commit(
      'Release note (#15)',
      { 'd.txt': 'd\n' },
      { date: Date.parse('2026-01-08T11:00:00Z') / 1000 },
    )
    repo.checkout('master')
    await estate.start()
    estate.now = new Date('2026-01-09T09:00:00Z')
    estate.runs('billing', 'staging', sha.base)
  }, 60_000)
  afterAll(() => estate.close())

  it('resolves #12 to the commit on master in where, promote, compare and hotfix pick', async () => {
    const { cockpit } = estate
    const where = await cockpit.invoke('environments.where', { query: '#12', service: 'billing' })
    const preview = await cockpit.invoke('deploys.preview', {
      service: 'billing',
      environment: 'staging',
      target: '#12',
    })
    const compare = await cockpit.invoke('environments.compare', {
      service: 'billing',
      from: sha.base as string,
      to: '#12',
    })
    const pick = await cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'uk-release',
      commits: ['#12'],
      dryRun: true,
    })
    expect({
      where: where.resolved.map((r) => [r.sha, r.via]),
      promote: preview.sha,
      compare: compare.to.sha,
      pick: pick.picked.map((p) => p.from),
    }).toEqual({ where: [[sha.fix, 'pr']], promote: sha.fix, compare: sha.fix, pick: [sha.fix] })
  })

  it('marks, in both directions, the changes the other side already has as cherry-picks', async () => {
    const compare = await estate.cockpit.invoke('environments.compare', {
      service: 'billing',
      from: 'us-release',
      to: 'master',
    })
    const marks = (list: typeof compare.ahead) => Object.fromEntries(list.map((c) => [c.subject, c.alreadyAs ?? null]))
    // Moving us-release to master brings #12 and #13 in name only: the branch has both changes already.
    expect(marks(compare.ahead)).toEqual({
      'Later work (#14)': null,
      'Fix totals (#13)': { sha: sha.copyPlain, via: 'patch-id' },
      'Fix rounding (#12)': { sha: sha.copy, via: 'trailer' },
    })
    // What it would drop: the two copies are on master anyway; only the release note would go.
    expect(marks(compare.behind)).toEqual({
      'Release note (#15)': null,
      'Fix totals (#13)': { sha: sha.other, via: 'patch-id' },
      'Fix rounding (#12)': { sha: sha.fix, via: 'trailer' },
    })
    expect(compare.cherryPicksPending).toBeUndefined()
  })
})
