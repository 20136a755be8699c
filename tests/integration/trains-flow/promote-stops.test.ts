import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlowEstate } from './estate'

/* A train promotion runs its steps one after another and stops at the first deploy that fails, saying which. */
describe('a train promotion whose first step fails', () => {
  const estate = new FlowEstate(['api/production-uk'])
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    sha.api = estate.commit('api', '2026-01-06T09:00:00Z', 'API work (#1)', { 'a.txt': '1\n' })
    sha.billing = estate.commit('billing', '2026-01-06T09:00:00Z', 'Billing work (#2)', { 'b.txt': '1\n' })
    await estate.start()
    // Production runs each service's first commit: a train step is never an unconfirmed first deploy.
    for (const s of ['api', 'billing'])
      estate.runs(s, 'production-uk', estate.repo(s).git('rev-list', '--max-parents=0', 'HEAD'))
    estate.now = new Date('2026-01-09T10:00:00Z')
  }, 30_000)
  afterAll(() => estate.close())

  it('reports the failed step and starts nothing after it', async () => {
    const board = await estate.cockpit.invoke('trains.board', {})
    const uk = board.regions.find((r) => r.region === 'uk')
    expect(uk?.next?.name).toBe('BERTHA')
    expect(uk?.dryRun.steps.map((s) => [s.service, s.sha])).toEqual([
      ['api', sha.api],
      ['billing', sha.billing],
    ])
    const steps: string[] = []
    const stop = estate.cockpit.events.listen((event, payload) => {
      if (event === 'trains.changed') steps.push((payload as { step: string }).step)
    })
    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'uk', trainId: uk?.next?.id ?? '' })
    stop()
    expect(promotion.runs.map((r) => [r.service, r.state])).toEqual([['api', 'failed']])
    expect(promotion.stopped).toMatchObject({
      service: 'api',
      environment: 'production-uk',
      reason: expect.stringContaining('failed') as unknown,
    })
    expect(steps.some((s) => s.startsWith('billing'))).toBe(false)
    expect((await estate.cockpit.invoke('deploys.list', {})).map((r) => r.service)).toEqual(['api'])
    expect(estate.rundeck.triggerCount()).toBe(1)
  })
})
