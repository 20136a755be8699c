import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Train } from '../../../src/shared/models/trains'
import { Estate, phases, regionOf, trainOf, trainSettings } from './estate'

/*
 * Seed 001, second scenario: the UK runs BERTHA, the US runs ALICIA; a bug is found in the US. The fix lands on
 * master, `us-release` is cut from ALICIA's billing SHA, the fix is cherry-picked with -x and deployed to the US.
 * The normal trains then carry the fix: CHARLIE (cut the next Thursday) to the UK, and to the US once seasoned.
 */
describe('a bug found in the US on ALICIA while the UK runs BERTHA', () => {
  const estate = new Estate(trainSettings({ date: '2026-01-01', name: 'ALICIA' }))
  let fix = ''
  let picked = ''
  const train = (iso: string, name: string): Train => trainOf(estate.board(iso), name).train

  beforeAll(() => {
    for (const s of ['api', 'billing', 'web']) estate.commit(s, '2025-12-29T09:00:00Z', `Start ${s}`, 'invoice.txt')
    estate.work('2025-12-31T09:00:00Z', 'ALICIA work')
    estate.work('2026-01-06T09:00:00Z', 'BERTHA work (#11)')
    fix = estate.commit('billing', '2026-01-13T11:00:00Z', 'Fix invoice rounding (#42)', 'rounding.txt')
    estate.work('2026-01-14T09:00:00Z', 'CHARLIE work (#12)')
    estate.work('2026-01-20T09:00:00Z', 'DARLENE work (#13)')
    const billing = estate.repo('billing')
    const alicia = train('2026-01-05T00:00:00Z', 'ALICIA')
    billing.branch('us-release', alicia.shas.billing)
    billing.checkout('us-release')
    picked = billing.cherryPick(fix, { trailer: true, date: Date.parse('2026-01-13T11:30:00Z') / 1000 })
    billing.checkout('master')

    estate.deployTrain(alicia, 'production-uk', '2026-01-02T10:00:00Z')
    const bertha = train('2026-01-09T09:00:00Z', 'BERTHA')
    estate.deployTrain(bertha, 'staging', '2026-01-09T01:00:00Z')
    estate.deployTrain(bertha, 'production-uk', '2026-01-09T10:00:00Z')
    estate.deployTrain(alicia, 'production-us', '2026-01-09T10:30:00Z')
  })
  afterAll(() => estate.cleanup())

  it('Monday: BERTHA seasons in the UK, ALICIA runs in the US, nothing to do', () => {
    const board = estate.board('2026-01-12T09:00:00Z')
    const uk = regionOf(board, 'uk')
    expect(uk.current?.name).toBe('BERTHA')
    expect(uk.nextWhy).toBe('up-to-date')
    expect(uk.seasoning).toMatchObject({
      since: '2026-01-09T10:00:00.000Z',
      until: '2026-01-16T10:00:00.000Z',
      done: false,
    })
    expect(uk.seasoning?.leftMs).toBe((4 * 24 + 1) * 3_600_000)
    const us = regionOf(board, 'us')
    expect(us.current?.name).toBe('ALICIA')
    expect(us.dryRun.summary).toBe('US is up to date with ALICIA.')
    expect(phases(board, ['ALICIA', 'BERTHA', 'CHARLIE'])).toEqual({
      ALICIA: 'live',
      BERTHA: 'seasoning',
      CHARLIE: 'planned',
    })
    expect(board.warnings).toEqual([])
  })

  it('Tuesday: us-release with the picked fix runs in the US; the US is reminded, the UK gets it with CHARLIE', () => {
    estate.hotfixBranches.push({ service: 'billing', branch: 'us-release', tip: picked })
    estate.deploy('billing', 'production-us', picked, '2026-01-13T12:00:00Z')
    const board = estate.board('2026-01-13T13:00:00Z')
    const us = regionOf(board, 'us')
    expect(us.current?.name).toBe('ALICIA')
    expect(us.cells.find((c) => c.service === 'billing')).toMatchObject({
      kind: 'hotfix',
      extra: 1,
      train: { name: 'ALICIA' },
    })
    expect(board.hotfixes).toEqual([
      expect.objectContaining({
        branch: 'us-release',
        region: 'us',
        fixes: [expect.objectContaining({ sha: picked, source: { sha: fix, via: 'trailer' } })],
        deployedIn: ['production-us'],
        missingFrom: ['us'],
        deletable: false,
      }),
    ])
    // The UK runs BERTHA and takes nothing before CHARLIE's cut, which will hold master with the fix.
    expect(board.hotfixes[0]?.reaches.map((r) => [r.region, r.train.name, r.planned, r.carries])).toEqual([
      ['uk', 'CHARLIE', true, true],
      ['us', 'BERTHA', false, false],
    ])
    expect(board.warnings.map((w) => [w.kind, w.region, w.fix])).toEqual([['fix-not-in-next-train', 'us', picked]])
    expect(board.warnings[0]?.message).toContain(
      '(on us-release of billing) is not yet in the next train for US (BERTHA)',
    )
  })

  it('Friday before the deploys: CHARLIE carries the fix to the UK; the US still waits for BERTHA to season', () => {
    estate.deployTrain(train('2026-01-16T00:30:00Z', 'CHARLIE'), 'staging', '2026-01-16T01:00:00Z')
    const board = estate.board('2026-01-16T09:00:00Z')
    expect(phases(board, ['BERTHA', 'CHARLIE'])).toEqual({ BERTHA: 'seasoning', CHARLIE: 'in-qa' })
    expect(trainOf(board, 'CHARLIE').qaIn).toEqual(['staging'])
    const uk = regionOf(board, 'uk')
    expect(uk.next?.name).toBe('CHARLIE')
    expect(uk.dryRun.summary).toBe('UK would receive CHARLIE: 4 commits in 3 services')
    const billing = uk.dryRun.ships.find((s) => s.service === 'billing')
    expect(billing?.commits.map((c) => [c.subject, c.pr, c.author.email])).toEqual([
      ['CHARLIE work (#12) in billing', 12, 'billing@example.test'],
      ['Fix invoice rounding (#42)', 42, 'billing@example.test'],
    ])
    expect(regionOf(board, 'us').dryRun.summary).toBe('US is up to date with ALICIA.')
    expect(board.warnings.map((w) => [w.kind, w.region])).toEqual([['fix-not-in-next-train', 'us']])
  })

  it('Friday once BERTHA is seasoned: the US dry run skips billing, whose hotfix BERTHA lacks', () => {
    const board = estate.board('2026-01-16T10:05:00Z')
    const us = regionOf(board, 'us')
    expect(us.next?.name).toBe('BERTHA')
    expect(us.dryRun.summary).toBe(
      'US would receive BERTHA: 2 commits in 2 services; skips `billing`: hotfix branch live',
    )
    const bertha = trainOf(board, 'BERTHA').train
    expect(us.dryRun.steps).toEqual([
      { service: 'api', environment: 'production-us', sha: bertha.shas.api },
      { service: 'web', environment: 'production-us', sha: bertha.shas.web },
    ])
    expect(board.warnings.map((w) => [w.region, w.message.includes('(BERTHA)')])).toEqual([['us', true]])
  })

  it('after the Friday deploys: the UK seasons CHARLIE, the US runs BERTHA beside its billing hotfix', () => {
    const before = estate.board('2026-01-16T10:05:00Z')
    estate.deployTrain(trainOf(before, 'CHARLIE').train, 'production-uk', '2026-01-16T10:10:00Z')
    for (const step of regionOf(before, 'us').dryRun.steps)
      estate.deploy(step.service, step.environment, step.sha, '2026-01-16T10:20:00Z')
    const board = estate.board('2026-01-16T10:30:00Z')
    expect(regionOf(board, 'uk').current?.name).toBe('CHARLIE')
    const us = regionOf(board, 'us')
    expect(us.current).toBeUndefined()
    expect(us.cells.map((c) => [c.service, c.train?.name, c.kind])).toEqual([
      ['api', 'BERTHA', 'exact'],
      ['billing', 'ALICIA', 'hotfix'],
      ['web', 'BERTHA', 'exact'],
    ])
    expect(us.dryRun.summary).toBe('US would receive nothing of BERTHA; skips `billing`: hotfix branch live')
    expect(phases(board, ['BERTHA', 'CHARLIE'])).toEqual({ BERTHA: 'seasoned', CHARLIE: 'seasoning' })
    expect(board.warnings.map((w) => [w.kind, w.region])).toEqual([['fix-not-in-next-train', 'us']])
  })

  it('next Friday: CHARLIE is seasoned and carries the fix to the US; the reminder clears', () => {
    const board = estate.board('2026-01-23T10:15:00Z')
    const us = regionOf(board, 'us')
    expect(us.next?.name).toBe('CHARLIE')
    expect(us.dryRun.summary).toBe('US would receive CHARLIE: 5 commits in 3 services')
    expect(us.dryRun.steps.map((s) => [s.service, s.leavesHotfix === true])).toEqual([
      ['api', false],
      ['billing', true],
      ['web', false],
    ])
    expect(board.warnings).toEqual([])
    expect(board.hotfixes[0]).toMatchObject({ missingFrom: [], deployedIn: ['production-us'], deletable: false })
  })

  it('once the US runs CHARLIE, us-release can be deleted', () => {
    const before = estate.board('2026-01-23T10:15:00Z')
    estate.deployTrain(trainOf(before, 'DARLENE').train, 'production-uk', '2026-01-23T10:20:00Z')
    for (const step of regionOf(before, 'us').dryRun.steps)
      estate.deploy(step.service, step.environment, step.sha, '2026-01-23T10:30:00Z')
    const board = estate.board('2026-01-23T10:45:00Z')
    expect(regionOf(board, 'us').current?.name).toBe('CHARLIE')
    expect(regionOf(board, 'uk').current?.name).toBe('DARLENE')
    expect(board.warnings.map((w) => [w.kind, w.branch, w.service])).toEqual([
      ['branch-can-be-deleted', 'us-release', 'billing'],
    ])
    expect(phases(board, ['ALICIA', 'BERTHA', 'CHARLIE', 'DARLENE'])).toEqual({
      ALICIA: 'retired',
      BERTHA: 'retired',
      CHARLIE: 'live',
      DARLENE: 'seasoning',
    })
  })
})
