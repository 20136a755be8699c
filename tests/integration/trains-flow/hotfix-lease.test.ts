import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cloneRepo, removeDir, tmpDir } from '../../support/git-repo'
import { FlowEstate } from './estate'

/* Pushing a hotfix branch never overwrites a fix someone else pushed to it: the lease, then the ancestry check. */
describe('hotfix push with a lease', () => {
  const estate = new FlowEstate()
  const other = tmpDir('trainyard-other-')
  let base = ''
  let fixA = ''
  let fixB = ''

  beforeAll(async () => {
    base = estate.commit('billing', '2026-01-06T09:00:00Z', 'Base (#1)', { 'a.txt': '1\n' })
    fixA = estate.commit('billing', '2026-01-07T09:00:00Z', 'Fix A (#2)', { 'fa.txt': 'a\n' })
    fixB = estate.commit('billing', '2026-01-07T10:00:00Z', 'Fix B (#3)', { 'fb.txt': 'b\n' })
    await estate.start()
    estate.now = new Date('2026-01-08T09:00:00Z')
  }, 30_000)
  afterAll(async () => {
    await estate.close()
    removeDir(other)
  })

  it('pushes a new branch, then refuses when the remote moved behind its back, with or without a fetch', async () => {
    await estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'uk', at: base })
    await estate.cockpit.invoke('hotfix.pick', { service: 'billing', branch: 'uk-release', commits: ['#2'] })
    const pushed = await estate.cockpit.invoke('hotfix.push', { service: 'billing', branch: 'uk-release' })
    const origin = estate.origin('billing')
    expect(origin.revParse('refs/heads/uk-release')).toBe(pushed.tip)
    expect(pushed.fixes.map((f) => f.source?.sha)).toEqual([fixA])

    // Someone else picks fix B onto the remote branch.
    const theirs = cloneRepo(origin.path, { dir: `${other}/billing` })
    theirs.checkout('uk-release')
    const their = theirs.cherryPick(fixB, { trailer: true })
    theirs.git('push', '-q', 'origin', 'uk-release')

    const picked = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'uk-release',
      commits: ['#3'],
    })
    expect(picked.ok).toBe(true)
    await expect(
      estate.cockpit.invoke('hotfix.push', { service: 'billing', branch: 'uk-release' }),
    ).rejects.toMatchObject({ code: 'push-rejected' })
    expect(origin.revParse('refs/heads/uk-release')).toBe(their)

    await estate.cockpit.invoke('repos.fetch', { service: 'billing' })
    await expect(
      estate.cockpit.invoke('hotfix.push', { service: 'billing', branch: 'uk-release' }),
    ).rejects.toMatchObject({ code: 'push-rejected' })
    expect(origin.revParse('refs/heads/uk-release')).toBe(their)
  })
})
