import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gitEnv, removeDir, runGit, tmpDir } from '../../support/git-repo'
import { FlowEstate } from './estate'

/*
 * Most pull requests land as merge commits, which `git cherry-pick` refuses without -m. In the hotfix flow a `#PR`
 * stands for the PR's own commits (the merge's second-parent range), and a merge picked whole with mainline 1 makes
 * the very commit `git cherry-pick -x -m 1` makes.
 */
describe('picking a pull request merged with a merge commit', () => {
  const estate = new FlowEstate()
  const work = tmpDir('trainyard-merge-oracle-')
  let base = ''
  let parts: string[] = []
  let merge = ''

  beforeAll(async () => {
    base = estate.commit('billing', '2026-01-06T09:00:00Z', 'Base (#1)', { 'a.txt': '1\n', 'b.txt': '1\n' })
    const repo = estate.repo('billing')
    repo.branch('topic', base)
    repo.checkout('topic')
    const at = (iso: string) => ({ date: Date.parse(iso) / 1000 })
    parts = [
      repo.commit('Round refunds half even', { 'a.txt': '1\nround\n' }, at('2026-01-07T09:00:00Z')),
      repo.commit('Test refund rounding', { 'b.txt': '1\ntest\n' }, at('2026-01-07T09:10:00Z')),
    ]
    repo.checkout('master')
    estate.commit('billing', '2026-01-07T08:00:00Z', 'Unrelated (#2)', { 'c.txt': '1\n' })
    merge = repo.merge('topic', 'Merge pull request #7 from acme/topic\n\nRound refunds', at('2026-01-07T10:00:00Z'))
    await estate.start()
    estate.now = new Date('2026-01-08T09:00:00Z')
    await estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'uk', at: base })
  }, 30_000)
  afterAll(async () => {
    await estate.close()
    removeDir(work)
  })

  it('says it made the branch, then that it already exists, never moving it', async () => {
    const again = await estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'uk' })
    expect(again).toMatchObject({ branch: 'uk-release', tip: base, created: false, fixes: [], deletable: false })
    await expect(
      estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'uk', at: merge }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('already exists') as unknown })
  })

  it('a #PR stands for its own commits, oldest first', async () => {
    const dry = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'uk-release',
      commits: ['#7'],
      dryRun: true,
    })
    expect(dry).toMatchObject({ ok: true, dryRun: true, tip: base })
    expect(dry.picked.map((p) => [p.from, p.subject, p.input])).toEqual([
      [parts[0], 'Round refunds half even', '#7'],
      [parts[1], 'Test refund rounding', '#7'],
    ])
  })

  it('a merge named by SHA says how to pick it; with mainline 1 it is the commit git cherry-pick -x -m 1 makes', async () => {
    await expect(
      estate.cockpit.invoke('hotfix.pick', { service: 'billing', branch: 'uk-release', commits: [merge.slice(0, 10)] }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/-m 1.*#7/) as unknown })

    const picked = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'uk-release',
      commits: ['#7'],
      mainline: 1,
    })
    expect(picked.ok).toBe(true)
    expect(picked.picked.map((p) => [p.from, p.input])).toEqual([[merge, '#7']])

    runGit(work, ['clone', '-q', estate.origin('billing').path, 'oracle'])
    const oracle = `${work}/oracle`
    runGit(oracle, ['checkout', '-q', '--detach', base])
    const env = { ...gitEnv(Date.parse('2026-01-08T09:00:00Z') / 1000, { name: 'rm', email: 'rm@trainyard.invalid' }) }
    runGit(oracle, ['cherry-pick', '-x', '-m', '1', merge], { env })
    expect(picked.tip).toBe(runGit(oracle, ['rev-parse', 'HEAD']).trim())
  })
})
