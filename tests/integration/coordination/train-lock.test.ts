import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlowEstate } from '../trains-flow/estate'

/* A train promotion onto a locked region stops at its first step, and goes ahead only over the lock with a reason. */
describe('a train promotion onto a locked region', () => {
  const estate = new FlowEstate()

  beforeAll(async () => {
    estate.commit('api', '2026-01-06T09:00:00Z', 'API work (#1)', { 'a.txt': '1\n' })
    estate.commit('billing', '2026-01-06T09:00:00Z', 'Billing work (#2)', { 'b.txt': '1\n' })
    await estate.start()
    estate.now = new Date('2026-01-09T10:00:00Z')
  }, 30_000)
  afterAll(() => estate.close())

  it('is refused as locked and starts nothing; with --override-lock every run records why', async () => {
    const lock = await estate.cockpit.invoke('coordination.lock', {
      scope: { kind: 'region', region: 'uk' },
      reason: 'UK freeze: year-end close',
    })
    const state = await estate.cockpit.invoke('coordination.state', {})
    expect(state.mode).toBe('local')
    expect(state.held).toEqual([{ region: 'uk', locks: [lock.id] }])
    const board = await estate.cockpit.invoke('trains.board', {})
    const trainId = board.regions.find((r) => r.region === 'uk')?.next?.id ?? ''

    const refused = await estate.cockpit.invoke('trains.promote', { region: 'uk', trainId })
    expect(refused.runs).toEqual([])
    expect(refused.stopped).toMatchObject({ service: 'api', environment: 'production-uk' })
    expect(refused.stopped?.reason).toContain('region uk is locked')
    expect(refused.stopped?.reason).toContain('UK freeze: year-end close')
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
