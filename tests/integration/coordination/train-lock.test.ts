import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlowEstate } from '../trains-flow/estate'

/* A train promotion onto a locked region is refused before anything starts, and goes ahead only over the lock with a reason. */
describe('a train promotion onto a locked region', () => {
  const estate = new FlowEstate()

  beforeAll(async () => {
    // What production-uk runs (a known current SHA: the guard refuses a blind first deploy).
    const running = {
      api: estate.commit('api', '2025-12-31T09:00:00Z', 'API start (#0)', { 'a.txt': '0\n' }),
      billing: estate.commit('billing', '2025-12-31T09:00:00Z', 'Billing start (#00)', { 'b.txt': '0\n' }),
    }
    estate.commit('api', '2026-01-06T09:00:00Z', 'API work (#1)', { 'a.txt': '1\n' })
    estate.commit('billing', '2026-01-06T09:00:00Z', 'Billing work (#2)', { 'b.txt': '1\n' })
    await estate.start()
    for (const [service, sha] of Object.entries(running)) estate.runs(service, 'production-uk', sha)
    estate.now = new Date('2026-01-09T10:00:00Z')
  }, 30_000)
  afterAll(() => estate.close())

  it('is refused as locked before anything starts; with --override-lock every run records why', async () => {
    const lock = await estate.cockpit.invoke('coordination.lock', {
      scope: { kind: 'region', region: 'uk' },
      reason: 'UK freeze: year-end close',
    })
    const state = await estate.cockpit.invoke('coordination.state', {})
    expect(state.mode).toBe('local')
    expect(state.held).toEqual([{ region: 'uk', locks: [lock.id] }])
    const board = await estate.cockpit.invoke('trains.board', {})
    const trainId = board.regions.find((r) => r.region === 'uk')?.next?.id ?? ''

    // The plan already shows the refusal, and nothing starts.
    const plan = await estate.cockpit.invoke('trains.preview', { region: 'uk', trainId })
    expect(plan.refusals.map((r) => r.code)).toEqual(['locked', 'locked'])
    // The dry run of going over the lock shows the plan as it would run: no lock refusal left.
    const over = await estate.cockpit.invoke('trains.preview', {
      region: 'uk',
      trainId,
      overrideLock: { reason: 'Close approved the train' },
    })
    expect(over.refusals).toEqual([])
    expect(over.steps.map((s) => s.service)).toEqual(plan.steps.map((s) => s.service))
    const refused: unknown = await estate.cockpit
      .invoke('trains.promote', { region: 'uk', trainId })
      .catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'locked' })
    expect((refused as Error).message).toContain('region uk is locked')
    expect((refused as Error).message).toContain('UK freeze: year-end close')
    expect(estate.rundeck.triggerCount()).toBe(0)

    const promoted = await estate.cockpit.invoke('trains.promote', {
      region: 'uk',
      trainId,
      overrideLock: { reason: 'Close approved the train' },
    })
    expect(promoted.stopped).toBeUndefined()
    expect(promoted.runs.map((r) => [r.service, r.state, r.lockOverride?.reason, r.lockOverride?.locks])).toEqual([
      ['api', 'succeeded', 'Close approved the train', [lock.id]],
      ['billing', 'succeeded', 'Close approved the train', [lock.id]],
    ])
  })
})
