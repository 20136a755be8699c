import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Watch } from '../../../src/shared/models/coordination'
import { runGit } from '../../support/git-repo'
import { finished, TeamEstate, type Teammate } from './team-estate'

describe('watches: tell me when a commit reaches an environment', () => {
  const estate = new TeamEstate()
  let ana: Teammate
  const fired: Watch[] = []

  beforeAll(async () => {
    await estate.start({ coordination: false })
    ana = await estate.teammate('ana')
    ana.cockpit.events.on('watches.fired', (watch) => fired.push(watch))
  }, 120_000)

  afterAll(() => estate.close())

  it('fires when a finished run shows the commit there, once, with a notification', async () => {
    const watch = await ana.cockpit.invoke('watches.add', { query: '#21', environment: 'production-us' })
    expect(watch.fired).toBeUndefined()
    const run = await ana.cockpit.invoke('deploys.start', {
      service: 'billing',
      environment: 'production-us',
      target: estate.shas.next,
    })
    expect((await finished(ana.cockpit, run)).state).toBe('succeeded')
    await vi.waitFor(() => expect(fired.map((w) => w.id)).toEqual([watch.id]), { timeout: 30_000 })
    expect(fired[0]?.fired).toMatchObject({ service: 'billing', sha: estate.shas.next })
    expect(fired[0]?.fired?.via).toBeUndefined()
    expect(ana.notifier.notices).toEqual([
      expect.objectContaining({ title: '#21 reached production-us', kind: 'info' }),
    ])
    const listed = await ana.cockpit.invoke('watches.list', {})
    expect(listed.find((w) => w.id === watch.id)?.fired?.sha).toBe(estate.shas.next)
  })

  it('fires when a probe shows a cherry-pick of the commit there', async () => {
    // A fix on master, cherry-picked (-x) onto the spike branch, which qa then runs.
    const fix = estate.repo.commit('Fix rounding (#24)', { 'rounding.txt': 'half up\n' })
    estate.repo.checkout('spike')
    const pick = estate.repo.cherryPick(fix, { trailer: true })
    estate.repo.checkout('master')
    runGit(estate.repo.path, ['push', '-q', join(estate.dir, 'served', 'billing.git'), 'master', 'spike'])
    await ana.cockpit.invoke('repos.fetch', {})
    const watch = await ana.cockpit.invoke('watches.add', { query: fix.slice(0, 10), environment: 'qa' })
    expect(watch.fired).toBeUndefined()
    estate.versions.set('billing', 'qa', pick)
    await ana.cockpit.invoke('environments.matrix', { refresh: true })
    await vi.waitFor(() => expect(fired.map((w) => w.id)).toContain(watch.id), { timeout: 30_000 })
    expect(fired.find((w) => w.id === watch.id)?.fired).toEqual(
      expect.objectContaining({ service: 'billing', sha: pick, via: 'trailer' }),
    )
  })

  it('a watch already met fires at once; an unknown commit or environment is refused', async () => {
    // The probe of production-us still reads base (the version page does not follow the simulator).
    const met = await ana.cockpit.invoke('watches.add', { query: estate.shas.base, environment: 'production-us' })
    expect(met.fired?.sha).toBe(estate.shas.base)
    await expect(ana.cockpit.invoke('watches.add', { query: 'f00dfeed', environment: 'qa' })).rejects.toMatchObject({
      code: 'not-found',
    })
    await expect(ana.cockpit.invoke('watches.add', { query: '#21', environment: 'prod' })).rejects.toMatchObject({
      code: 'not-found',
    })
  })
})
