import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainBoard } from '../../../src/shared/models/trains'
import { FlowEstate } from './estate'

/*
 * Seed 001, second scenario, end to end through the cockpit: BERTHA in the UK, ALICIA in the US, a bug found in
 * the US. The fix lands on master; `us-release` is made from ALICIA's billing, the fix is picked onto it, pushed
 * and deployed to the US. CHARLIE (cut the next Thursday) carries the fix to the UK, then to the US once seasoned,
 * and the branch can then be deleted.
 */
describe('seed 001: a bug found in the US on ALICIA, fixed through us-release', () => {
  const estate = new FlowEstate()
  const sha: Record<string, string> = {}
  const region = (b: TrainBoard, name: string) => {
    const r = b.regions.find((x) => x.region === name)
    if (r === undefined) throw new Error(`no region ${name}`)
    return r
  }
  const board = async (iso: string): Promise<TrainBoard> => {
    estate.now = new Date(iso)
    await estate.cockpit.invoke('environments.matrix', { refresh: true })
    return estate.cockpit.invoke('trains.board', {})
  }
  const cell = async (service: string, environment: string) =>
    (await estate.cockpit.invoke('environments.matrix', { refresh: true })).cells.find(
      (c) => c.service === service && c.environment === environment,
    )

  beforeAll(async () => {
    sha.aliciaApi = estate.commit('api', '2025-12-31T09:00:00Z', 'ALICIA api work', { 'api.txt': '1\n' })
    sha.aliciaBilling = estate.commit('billing', '2025-12-31T09:00:00Z', 'ALICIA billing work', { 'other.txt': '1\n' })
    sha.berthaApi = estate.commit('api', '2026-01-06T09:00:00Z', 'BERTHA api work (#11)', { 'api.txt': '2\n' })
    sha.berthaBilling = estate.commit('billing', '2026-01-06T09:00:00Z', 'BERTHA invoice line (#12)', {
      'invoice.txt': 'a\nb\n',
    })
    sha.footer = estate.commit('billing', '2026-01-13T10:00:00Z', 'Invoice footer (#43)', {
      'invoice.txt': 'a\nb\nc\n',
    })
    sha.fix = estate.commit('billing', '2026-01-13T11:00:00Z', 'Fix invoice rounding (#42)', {
      'rounding.txt': 'round half even\n',
    })
    sha.charlieApi = estate.commit('api', '2026-01-14T09:00:00Z', 'CHARLIE api work (#13)', { 'api.txt': '3\n' })
    estate.commit('api', '2026-01-20T09:00:00Z', 'DARLENE api work (#14)', { 'api.txt': '4\n' })
    await estate.start()
    for (const [s, e, v] of [
      ['api', 'production-uk', sha.berthaApi],
      ['billing', 'production-uk', sha.berthaBilling],
      ['api', 'production-us', sha.aliciaApi],
      ['billing', 'production-us', sha.aliciaBilling],
    ] as const)
      estate.runs(s, e, v ?? '')
  }, 30_000)
  afterAll(() => estate.close())

  it('Monday: BERTHA seasons in the UK, ALICIA runs in the US, nothing to do', async () => {
    const b = await board('2026-01-12T09:00:00Z')
    expect(region(b, 'uk')).toMatchObject({
      current: { name: 'BERTHA' },
      nextWhy: 'up-to-date',
      seasoning: { done: false },
    })
    expect(region(b, 'us')).toMatchObject({
      current: { name: 'ALICIA' },
      dryRun: { summary: 'US is up to date with ALICIA.' },
    })
    expect(b.hotfixes).toEqual([])
    expect(b.warnings).toEqual([])
  })

  it('Tuesday: us-release is made at ALICIA; a pick that conflicts is reported and nothing is written', async () => {
    estate.now = new Date('2026-01-13T12:00:00Z')
    const created = await estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'us' })
    expect(created).toMatchObject({ branch: 'us-release', region: 'us', tip: sha.aliciaBilling, fixes: [] })
    expect(estate.clone('billing').revParse('refs/heads/us-release')).toBe(sha.aliciaBilling)
    await expect(
      estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'us', at: sha.fix ?? '' }),
    ).rejects.toMatchObject({ code: 'invalid-input' })

    const conflict = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'us-release',
      commits: ['#43'],
    })
    expect(conflict).toMatchObject({
      ok: false,
      tip: sha.aliciaBilling,
      conflicts: [
        { commit: sha.footer, subject: 'Invoice footer (#43)', paths: [{ path: 'invoice.txt', kind: 'content' }] },
      ],
    })
    const dry = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'us-release',
      commits: ['#42'],
      dryRun: true,
    })
    expect(dry).toMatchObject({ ok: true, dryRun: true, tip: sha.aliciaBilling, picked: [{ from: sha.fix }] })
    expect(estate.clone('billing').revParse('refs/heads/us-release')).toBe(sha.aliciaBilling)
  })

  it('Tuesday: the fix is picked with its trailer, pushed with a lease and deployed to the US', async () => {
    const picked = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'us-release',
      commits: ['#42'],
    })
    expect(picked.ok).toBe(true)
    const to = picked.picked[0]?.to ?? ''
    sha.picked = to
    const clone = estate.clone('billing')
    expect(clone.revParse('refs/heads/us-release')).toBe(to)
    expect(clone.git('rev-parse', `${to}^`)).toBe(sha.aliciaBilling)
    expect(clone.git('log', '-1', '--format=%B', to)).toContain(`(cherry picked from commit ${sha.fix})`)

    const pushed = await estate.cockpit.invoke('hotfix.push', { service: 'billing', branch: 'us-release' })
    expect(estate.origin('billing').revParse('refs/heads/us-release')).toBe(to)
    expect(pushed).toMatchObject({
      tip: to,
      fixes: [{ sha: to, source: { sha: sha.fix, via: 'trailer' } }],
      missingFrom: ['us'],
    })

    const run = await estate.cockpit.invoke('deploys.start', {
      service: 'billing',
      environment: 'production-us',
      target: 'us-release',
    })
    const ended = await estate.cockpit.invoke('deploys.get', { runId: run.id })
    expect(ended.run.sha).toBe(to)
    await waitSucceeded(run.id)
    estate.runs('billing', 'production-us', to)
    expect((await cell('billing', 'production-us'))?.probe.sha).toBe(to)

    const b = await board('2026-01-13T13:00:00Z')
    expect(region(b, 'us').cells.find((c) => c.service === 'billing')).toMatchObject({
      kind: 'hotfix',
      extra: 1,
      train: { name: 'ALICIA' },
    })
    expect(b.hotfixes).toEqual([
      expect.objectContaining({
        branch: 'us-release',
        deployedIn: ['production-us'],
        missingFrom: ['us'],
        deletable: false,
      }),
    ])
    // The UK gets the fix with CHARLIE (planned: master holds it); the US's next train, BERTHA, lacks it.
    expect(b.warnings.map((w) => [w.kind, w.region])).toEqual([['fix-not-in-next-train', 'us']])
  })

  it('Friday: CHARLIE carries the fix to the UK; the US keeps its hotfix while BERTHA would drop the fix', async () => {
    const b = await board('2026-01-16T10:00:00Z')
    const uk = region(b, 'uk')
    expect(uk.next?.name).toBe('CHARLIE')
    expect(uk.dryRun.steps.map((s) => s.service)).toEqual(['api', 'billing'])
    const us = region(b, 'us')
    expect(us.next?.name).toBe('BERTHA')
    expect(us.dryRun.skips).toEqual([expect.objectContaining({ service: 'billing', reason: 'hotfix-live' })])

    const steps: string[] = []
    const stop = estate.cockpit.events.listen((event, payload) => {
      if (event === 'trains.changed') steps.push((payload as { step: string }).step)
    })
    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'uk', trainId: uk.next?.id ?? '' })
    stop()
    expect(promotion.stopped).toBeUndefined()
    expect(promotion.runs.map((r) => [r.service, r.environment, r.state])).toEqual([
      ['api', 'production-uk', 'succeeded'],
      ['billing', 'production-uk', 'succeeded'],
    ])
    expect(steps.some((s) => s.startsWith('billing → production-uk'))).toBe(true)
    estate.follow(promotion.runs)

    const after = await board('2026-01-16T12:00:00Z')
    expect(region(after, 'uk')).toMatchObject({
      current: { name: 'CHARLIE' },
      seasoning: { sinceFrom: 'journal', done: false },
    })
    expect(after.hotfixes[0]).toMatchObject({ missingFrom: ['us'], deletable: false })
    expect(after.warnings.map((w) => [w.kind, w.region])).toEqual([['fix-not-in-next-train', 'us']])
  })

  it('a week on: seasoned CHARLIE goes to the US, leaving us-release; the branch can be deleted', async () => {
    const b = await board('2026-01-23T12:00:00Z')
    const us = region(b, 'us')
    expect(us.next?.name).toBe('CHARLIE')
    expect(us.dryRun.steps.find((s) => s.service === 'billing')).toMatchObject({ leavesHotfix: true })
    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'us', trainId: us.next?.id ?? '' })
    expect(promotion.stopped).toBeUndefined()
    const billing = promotion.runs.find((r) => r.service === 'billing')
    expect(billing).toMatchObject({
      state: 'succeeded',
      rollback: { reason: 'Train CHARLIE carries the fixes of us-release' },
    })
    estate.follow(promotion.runs)

    const after = await board('2026-01-23T13:00:00Z')
    expect(region(after, 'us').current?.name).toBe('CHARLIE')
    expect(after.hotfixes[0]).toMatchObject({ deployedIn: [], missingFrom: [], deletable: true })
    expect(after.warnings).toEqual([expect.objectContaining({ kind: 'branch-can-be-deleted', branch: 'us-release' })])
    expect((await cell('billing', 'production-us'))?.probe.sha).toBe(
      after.trains.find((t) => t.train.id === us.next?.id)?.train.shas.billing,
    )
  })

  async function waitSucceeded(runId: string): Promise<void> {
    for (;;) {
      const { run } = await estate.cockpit.invoke('deploys.get', { runId })
      if (run.state === 'succeeded') return
      if (['failed', 'aborted', 'unknown'].includes(run.state)) throw new Error(`run ${runId} ${run.state}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
})
