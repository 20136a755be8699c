import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainBoard } from '../../../src/shared/models/trains'
import { FlowEstate } from './estate'

/*
 * Seed 001, first scenario, end to end through the cockpit: DARLENE runs in the UK, CHARLIE in the US. A bug is
 * found in DARLENE in the UK; the fix lands on master (EDNA's contents). The release manager cuts EDNA now,
 * promotes it to the UK, lets it season, and it reaches the US a train behind. A commit made after the cut waits.
 */
describe('seed 001: a bug found in the UK on DARLENE, fixed on master and shipped with EDNA cut early', () => {
  const estate = new FlowEstate()
  const sha: Record<string, string> = {}
  let edna = ''
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
  const probed = async (service: string, environment: string) =>
    (await estate.cockpit.invoke('environments.matrix', { refresh: true })).cells.find(
      (c) => c.service === service && c.environment === environment,
    )?.probe.sha

  beforeAll(async () => {
    sha.charlieApi = estate.commit('api', '2026-01-14T09:00:00Z', 'CHARLIE api work (#1)', { 'api.txt': '1\n' })
    sha.charlieBilling = estate.commit('billing', '2026-01-14T09:00:00Z', 'CHARLIE billing work (#2)', {
      'b.txt': '1\n',
    })
    sha.darleneApi = estate.commit('api', '2026-01-21T09:00:00Z', 'DARLENE api work (#3)', { 'api.txt': '2\n' })
    sha.darleneBilling = estate.commit('billing', '2026-01-21T09:00:00Z', 'DARLENE billing work (#4)', {
      'b.txt': '2\n',
    })
    sha.ednaBilling = estate.commit('billing', '2026-01-26T09:00:00Z', 'EDNA billing work (#7)', { 'b.txt': '3\n' })
    sha.fix = estate.commit('api', '2026-01-27T11:00:00Z', 'Fix the UK VAT display (#5)', { 'vat.txt': 'fixed\n' })
    await estate.start()
    estate.runs('api', 'production-uk', sha.darleneApi)
    estate.runs('billing', 'production-uk', sha.darleneBilling)
    estate.runs('api', 'production-us', sha.charlieApi)
    estate.runs('billing', 'production-us', sha.charlieBilling)
  }, 30_000)
  afterAll(() => estate.close())

  it('Tuesday: DARLENE seasons in the UK, CHARLIE runs in the US; EDNA is only planned', async () => {
    const b = await board('2026-01-27T11:30:00Z')
    expect(region(b, 'uk')).toMatchObject({
      current: { name: 'DARLENE' },
      nextWhy: 'up-to-date',
      seasoning: { done: false },
    })
    expect(region(b, 'us')).toMatchObject({ current: { name: 'CHARLIE' }, nextWhy: 'up-to-date' })
    expect(b.trains.find((t) => t.train.name === 'EDNA' && t.phase === 'planned')).toBeDefined()
  })

  it('cutting the train now makes EDNA the UK’s next train with the fix; promoting it ships the fix', async () => {
    estate.now = new Date('2026-01-27T12:00:00Z')
    const cut = await estate.cockpit.invoke('trains.cut', {})
    const uk = region(cut, 'uk')
    expect(uk.next?.name).toBe('EDNA')
    edna = uk.next?.id ?? ''
    expect(cut.trains.find((t) => t.train.id === edna)).toMatchObject({
      phase: 'cut',
      train: { shas: { api: sha.fix, billing: sha.ednaBilling } },
    })
    expect(uk.dryRun.ships).toEqual([
      expect.objectContaining({
        service: 'api',
        from: sha.darleneApi,
        to: sha.fix,
        commits: [expect.objectContaining({ sha: sha.fix, pr: 5 })],
      }),
      expect.objectContaining({ service: 'billing', from: sha.darleneBilling, to: sha.ednaBilling }),
    ])
    expect(uk.dryRun.skips).toEqual([])

    // A commit after the cut stays out of EDNA.
    const later = estate.commit('api', '2026-01-28T09:00:00Z', 'Next week work (#6)', { 'api.txt': '3\n' })
    estate.repo('api').git('push', '-q', estate.origin('api').path, 'master')
    await estate.cockpit.invoke('repos.fetch', {})
    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'uk', trainId: edna })
    expect(promotion.stopped).toBeUndefined()
    expect(promotion.runs.map((r) => [r.service, r.environment, r.sha, r.state])).toEqual([
      ['api', 'production-uk', sha.fix, 'succeeded'],
      ['billing', 'production-uk', sha.ednaBilling, 'succeeded'],
    ])
    estate.follow(promotion.runs)
    expect(await probed('api', 'production-uk')).toBe(sha.fix)
    expect(later).not.toBe(sha.fix)
  })

  it('from the scheduled cut on, EDNA holds what was cut early and seasons in the UK from its deploy', async () => {
    const b = await board('2026-01-30T12:00:00Z')
    const train = b.trains.find((t) => t.train.id === edna)
    expect(train).toMatchObject({ phase: 'seasoning', train: { shas: { api: sha.fix, billing: sha.ednaBilling } } })
    expect(region(b, 'uk').cells.find((c) => c.service === 'api')).toMatchObject({ sha: sha.fix, kind: 'exact' })
    expect(region(b, 'uk')).toMatchObject({
      current: { id: edna },
      seasoning: { sinceFrom: 'journal', since: expect.stringMatching(/^2026-01-27T12:0/) as unknown, done: false },
    })
    // CHARLIE ran its full week in the UK (from its slot to DARLENE's, by the schedule): the US is up to date with
    // it; DARLENE was cut short by EDNA and is passed over, so EDNA reaches the US next, once seasoned.
    expect(region(b, 'us')).toMatchObject({
      current: { name: 'CHARLIE' },
      nextWhy: 'up-to-date',
      upcoming: { train: { id: edna }, planned: false },
    })
    expect(b.trains.findLast((t) => t.train.name === 'CHARLIE')?.seasoning).toMatchObject({
      sinceFrom: 'schedule',
      since: '2026-01-16T10:00:00.000Z',
      endedAt: '2026-01-23T10:00:00.000Z',
      done: true,
    })
    expect(b.warnings).toEqual([])
  })

  it('seasoned, EDNA goes to the US a train behind', async () => {
    const b = await board('2026-02-06T12:00:00Z')
    const us = region(b, 'us')
    expect(us.next?.id).toBe(edna)
    expect(us.dryRun.steps.map((s) => [s.service, s.sha])).toEqual([
      ['api', sha.fix],
      ['billing', sha.ednaBilling],
    ])
    const promotion = await estate.cockpit.invoke('trains.promote', { region: 'us', trainId: edna })
    expect(promotion.runs.map((r) => r.state)).toEqual(['succeeded', 'succeeded'])
    estate.follow(promotion.runs)
    expect(region(await board('2026-02-06T13:00:00Z'), 'us').current?.id).toBe(edna)
    expect(await probed('api', 'production-us')).toBe(sha.fix)
  })
})
