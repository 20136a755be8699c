import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlowEstate } from './estate'

/*
 * Production requires a successful staging deploy of the same SHA. The preview of a train promotion runs the deploy
 * runner's own checks, so it plans staging first (all of staging before any production) and the run does what the
 * preview said; a refusal the plan cannot answer is shown before anything starts, and nothing is triggered.
 */
describe('a train promotion previewed with the checks the run will make', () => {
  const estate = new FlowEstate([], { requirePreviousSuccess: true })
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    sha.aliciaApi = estate.commit('api', '2025-12-31T09:00:00Z', 'ALICIA api (#1)', { 'a.txt': '1\n' })
    sha.aliciaBilling = estate.commit('billing', '2025-12-31T09:00:00Z', 'ALICIA billing (#2)', { 'b.txt': '1\n' })
    sha.berthaApi = estate.commit('api', '2026-01-06T09:00:00Z', 'BERTHA api (#3)', { 'a.txt': '2\n' })
    sha.berthaBilling = estate.commit('billing', '2026-01-06T09:00:00Z', 'BERTHA billing (#4)', { 'b.txt': '2\n' })
    await estate.start()
    for (const s of ['api', 'billing'] as const) {
      const alicia = s === 'api' ? sha.aliciaApi : sha.aliciaBilling
      estate.runs(s, 'staging', alicia ?? '')
      estate.runs(s, 'production-uk', alicia ?? '')
    }
    estate.now = new Date('2026-01-09T10:00:00Z')
  }, 30_000)
  afterAll(() => estate.close())

  it('plans staging first for every service, then production, and the promotion runs exactly that', async () => {
    const board = await estate.cockpit.invoke('trains.board', {})
    const uk = board.regions.find((r) => r.region === 'uk')
    expect(uk?.next?.name).toBe('BERTHA')
    const trainId = uk?.next?.id ?? ''
    const plan = await estate.cockpit.invoke('trains.preview', { region: 'uk', trainId })
    expect(plan.refusals).toEqual([])
    expect(plan.steps.map((s) => [s.service, s.environment, s.sha, s.requiredBy, s.kind, s.commits])).toEqual([
      ['api', 'staging', sha.berthaApi, 'production-uk', 'forward', 1],
      ['billing', 'staging', sha.berthaBilling, 'production-uk', 'forward', 1],
      ['api', 'production-uk', sha.berthaApi, undefined, 'forward', 1],
      ['billing', 'production-uk', sha.berthaBilling, undefined, 'forward', 1],
    ])
    expect(estate.rundeck.triggerCount()).toBe(0)

    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'uk', trainId })
    expect(promotion.stopped).toBeUndefined()
    expect(promotion.runs.map((r) => [r.service, r.environment, r.sha, r.state])).toEqual(
      plan.steps.map((s) => [s.service, s.environment, s.sha, 'succeeded']),
    )
    estate.follow(promotion.runs)
  })

  it('shows a refusal it cannot plan around before anything starts, and the promotion starts nothing', async () => {
    // Staging runs a hotfix build the next train does not descend from: deploying the train there is a rollback.
    const billing = estate.repo('billing')
    billing.branch('uk-release', sha.berthaBilling)
    billing.checkout('uk-release')
    const hotfix = billing.commit(
      'Hotfix on staging',
      { 'h.txt': 'h\n' },
      { date: Date.parse('2026-01-10T09:00:00Z') / 1000 },
    )
    billing.git('push', '-q', estate.origin('billing').path, 'uk-release')
    billing.checkout('master')
    estate.commit('billing', '2026-01-12T09:00:00Z', 'CHARLIE billing (#5)', { 'b.txt': '3\n' })
    billing.git('push', '-q', estate.origin('billing').path, 'master')
    estate.commit('api', '2026-01-12T09:00:00Z', 'CHARLIE api (#6)', { 'a.txt': '3\n' })
    estate.repo('api').git('push', '-q', estate.origin('api').path, 'master')
    await estate.cockpit.invoke('repos.fetch', {})
    estate.runs('billing', 'staging', hotfix)
    estate.now = new Date('2026-01-12T12:00:00Z')
    const cut = await estate.cockpit.invoke('trains.cut', {})
    const uk = cut.regions.find((r) => r.region === 'uk')
    expect(uk?.next).toMatchObject({ name: 'CHARLIE', manualCut: { at: '2026-01-12T12:00:00.000Z', by: 'rm' } })
    const triggered = estate.rundeck.triggerCount()

    const plan = await estate.cockpit.invoke('trains.preview', { region: 'uk', trainId: uk?.next?.id ?? '' })
    const staging = plan.steps.find((s) => s.service === 'billing' && s.environment === 'staging')
    expect(staging).toMatchObject({ kind: 'rollback', requiredBy: 'production-uk' })
    expect(plan.refusals.map((r) => r.code)).toEqual(['not-a-descendant'])
    await expect(
      estate.cockpit.invoke('trains.promote', { region: 'uk', trainId: uk?.next?.id ?? '' }),
    ).rejects.toMatchObject({
      code: 'not-a-descendant',
      message: expect.stringContaining('before anything starts') as unknown,
    })
    expect(estate.rundeck.triggerCount()).toBe(triggered)
  })

  it('once the train carries the staging hotfix, staging leaves it as a rollback with the reason, and it all runs', async () => {
    // The same change lands on master (no trailer: a patch-id twin), and the train is cut again with it.
    estate.commit('billing', '2026-01-12T13:00:00Z', 'Hotfix on staging (#7)', { 'h.txt': 'h\n' })
    estate.repo('billing').git('push', '-q', estate.origin('billing').path, 'master')
    await estate.cockpit.invoke('repos.fetch', {})
    estate.now = new Date('2026-01-12T14:00:00Z')
    const uk = (await estate.cockpit.invoke('trains.cut', {})).regions.find((r) => r.region === 'uk')
    const trainId = uk?.next?.id ?? ''
    const plan = await estate.cockpit.invoke('trains.preview', { region: 'uk', trainId })
    expect(plan.refusals).toEqual([])
    expect(plan.steps.find((s) => s.service === 'billing' && s.environment === 'staging')).toMatchObject({
      kind: 'rollback',
      requiredBy: 'production-uk',
      rollbackReason: 'Train CHARLIE carries the fixes of uk-release',
    })
    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'uk', trainId })
    expect(promotion.stopped).toBeUndefined()
    expect(promotion.runs.map((r) => [r.service, r.environment, r.state, r.rollback?.reason])).toEqual([
      ['api', 'staging', 'succeeded', undefined],
      ['billing', 'staging', 'succeeded', 'Train CHARLIE carries the fixes of uk-release'],
      ['api', 'production-uk', 'succeeded', undefined],
      ['billing', 'production-uk', 'succeeded', undefined],
    ])
  })
})
