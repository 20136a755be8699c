import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Train } from '../../../src/shared/models/trains'
import { Estate, phases, regionOf, trainOf, trainSettings } from './estate'

/*
 * Seed 001, first scenario, across the UK's spring clock change (Sunday 29 March 2026): DARLENE runs in the UK,
 * CHARLIE in the US. A bug is found in the UK on DARLENE and fixed on master, which the UK takes at once
 * (an early EDNA). DARLENE never finishes seasoning, so the US keeps CHARLIE; EDNA goes to the UK on Friday,
 * seasons a week and then goes to the US.
 */
describe('a bug found in the UK on DARLENE, fixed on master', () => {
  const estate = new Estate(trainSettings({ date: '2026-03-26', name: 'DARLENE' }))
  let fix = ''
  const train = (iso: string, name: string): Train => trainOf(estate.board(iso), name).train

  beforeAll(() => {
    for (const s of ['api', 'billing', 'web']) estate.commit(s, '2026-03-16T09:00:00Z', `Start ${s}`, 'basket.txt')
    estate.work('2026-03-18T09:00:00Z', 'CHARLIE work')
    estate.work('2026-03-24T09:00:00Z', 'DARLENE work')
    fix = estate.commit('web', '2026-03-31T10:00:00Z', 'Fix basket total (#51)', 'total.txt')
    estate.work('2026-04-01T09:00:00Z', 'EDNA work')
    estate.work('2026-04-07T09:00:00Z', 'FREDA work')
    estate.deployTrain(train('2026-03-21T00:00:00Z', 'CHARLIE'), 'production-uk', '2026-03-20T10:00:00Z')
    estate.deployTrain(train('2026-03-28T00:00:00Z', 'DARLENE'), 'production-uk', '2026-03-27T10:00:00Z')
    estate.deployTrain(train('2026-03-28T00:00:00Z', 'CHARLIE'), 'production-us', '2026-03-27T10:30:00Z')
  })
  afterAll(() => estate.cleanup())

  it('Monday after the clock change: DARLENE seasons until Friday 10:00 BST', () => {
    const board = estate.board('2026-03-30T08:00:00Z')
    const uk = regionOf(board, 'uk')
    expect(uk.current?.name).toBe('DARLENE')
    expect(uk.seasoning).toMatchObject({
      since: '2026-03-27T10:00:00.000Z',
      until: '2026-04-03T09:00:00.000Z',
      done: false,
    })
    expect(regionOf(board, 'us').current?.name).toBe('CHARLIE')
    expect(regionOf(board, 'us').nextWhy).toBe('up-to-date')
    expect(board.nextCut).toBe('2026-04-02T23:00:00.000Z')
    expect(phases(board, ['CHARLIE', 'DARLENE', 'EDNA'])).toEqual({
      CHARLIE: 'live',
      DARLENE: 'seasoning',
      EDNA: 'planned',
    })
  })

  it('Tuesday: the UK takes the fix from master; DARLENE is now DARLENE plus master commits and stops seasoning', () => {
    estate.deploy('web', 'production-uk', fix, '2026-03-31T12:00:00Z')
    const board = estate.board('2026-03-31T13:00:00Z')
    const uk = regionOf(board, 'uk')
    expect(uk.current?.name).toBe('DARLENE')
    expect(uk.cells.find((c) => c.service === 'web')).toMatchObject({
      kind: 'ahead',
      extra: 1,
      train: { name: 'DARLENE' },
    })
    expect(uk.seasoning).toMatchObject({ endedAt: '2026-03-31T12:00:00.000Z', done: false, leftMs: 0 })
    expect(regionOf(board, 'us').dryRun.summary).toBe('US is up to date with CHARLIE.')
    expect(board.warnings).toEqual([])
  })

  it('Friday morning: EDNA is cut with the fix; the UK would receive it, the US keeps CHARLIE', () => {
    const board = estate.board('2026-04-03T08:00:00Z')
    const edna = trainOf(board, 'EDNA')
    expect(edna.train.cutAt).toBe('2026-04-02T23:00:00.000Z')
    expect(edna.train.deployAt).toBe('2026-04-03T09:00:00.000Z')
    expect(estate.repo('web').git('merge-base', '--is-ancestor', fix, edna.train.shas.web ?? '') === '').toBe(true)
    expect(edna.phase).toBe('cut')
    const uk = regionOf(board, 'uk')
    expect(uk.next?.name).toBe('EDNA')
    expect(uk.dryRun.summary).toBe('UK would receive EDNA: 3 commits in 3 services')
    expect(uk.dryRun.ships.find((s) => s.service === 'web')?.from).toBe(fix)
    const us = regionOf(board, 'us')
    expect(us.nextWhy).toBe('up-to-date')
    expect(us.current?.name).toBe('CHARLIE')
  })

  it('Friday after the UK deploy: EDNA seasons, DARLENE is passed over', () => {
    estate.deployTrain(train('2026-04-03T08:00:00Z', 'EDNA'), 'production-uk', '2026-04-03T09:00:00Z')
    const board = estate.board('2026-04-03T09:30:00Z')
    const uk = regionOf(board, 'uk')
    expect(uk.current?.name).toBe('EDNA')
    expect(uk.seasoning).toMatchObject({
      since: '2026-04-03T09:00:00.000Z',
      until: '2026-04-10T09:00:00.000Z',
      done: false,
    })
    expect(phases(board, ['CHARLIE', 'DARLENE', 'EDNA'])).toEqual({
      CHARLIE: 'live',
      DARLENE: 'retired',
      EDNA: 'seasoning',
    })
    expect(regionOf(board, 'us').dryRun.summary).toBe('US is up to date with CHARLIE.')
  })

  it('a week on: EDNA is seasoned and the US would receive it, in service order', () => {
    const board = estate.board('2026-04-10T09:30:00Z')
    expect(phases(board, ['EDNA', 'FREDA'])).toEqual({ EDNA: 'seasoned', FREDA: 'cut' })
    const us = regionOf(board, 'us')
    expect(us.next?.name).toBe('EDNA')
    expect(us.dryRun.summary).toBe('US would receive EDNA: 7 commits in 3 services')
    const edna = trainOf(board, 'EDNA').train
    expect(us.dryRun.steps).toEqual(
      ['api', 'billing', 'web'].map((service) => ({ service, environment: 'production-us', sha: edna.shas[service] })),
    )
    expect(us.dryRun.ships.find((s) => s.service === 'web')?.commits.map((c) => c.subject)).toEqual([
      'EDNA work in web',
      'Fix basket total (#51)',
      'DARLENE work in web',
    ])
  })

  it('after the US deploy: EDNA is live everywhere it goes, the older trains are retired', () => {
    const before = estate.board('2026-04-10T09:30:00Z')
    estate.deployTrain(trainOf(before, 'FREDA').train, 'production-uk', '2026-04-10T09:45:00Z')
    for (const step of regionOf(before, 'us').dryRun.steps)
      estate.deploy(step.service, step.environment, step.sha, '2026-04-10T10:00:00Z')
    const board = estate.board('2026-04-10T10:30:00Z')
    expect(regionOf(board, 'us').current?.name).toBe('EDNA')
    expect(regionOf(board, 'uk').current?.name).toBe('FREDA')
    expect(phases(board, ['CHARLIE', 'DARLENE', 'EDNA', 'FREDA'])).toEqual({
      CHARLIE: 'retired',
      DARLENE: 'retired',
      EDNA: 'live',
      FREDA: 'seasoning',
    })
    expect(board.warnings).toEqual([])
  })
})
