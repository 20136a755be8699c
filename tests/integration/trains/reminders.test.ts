import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainBoard } from '../../../src/shared/models/trains'
import { Estate, regionOf, trainOf, trainSettings } from './estate'

/*
 * Hotfix reminders come from the same model as the board: each region is reminded about the train that reaches
 * it next (the board's `upcoming`), never about the train it already runs. Seed 001's wrinkle: a bug found in the
 * UK on BERTHA; `uk-release` is made off BERTHA, the fix is picked onto it, the train is cut early and carries it.
 */
describe('hotfix reminders after a cut, a pick, a train carrying the fix and an empty branch', () => {
  const estate = new Estate(trainSettings({ date: '2026-01-01', name: 'ALICIA' }))
  let fix = ''
  let picked = ''
  let direct = ''
  const reaches = (board: TrainBoard) =>
    board.hotfixes[0]?.reaches.map((r) => [r.region, r.train.name, r.planned, r.carries])
  const reminders = (board: TrainBoard) => board.warnings.map((w) => [w.kind, w.region ?? '', w.message])

  beforeAll(() => {
    for (const s of ['api', 'billing', 'web']) estate.commit(s, '2025-12-29T09:00:00Z', `Start ${s}`, 'vat.txt')
    estate.work('2025-12-31T09:00:00Z', 'ALICIA work')
    estate.work('2026-01-06T09:00:00Z', 'BERTHA work')
    const alicia = trainOf(estate.board('2026-01-05T00:00:00Z'), 'ALICIA').train
    const bertha = trainOf(estate.board('2026-01-09T09:00:00Z'), 'BERTHA').train
    estate.deployTrain(alicia, 'production-uk', '2026-01-02T10:00:00Z')
    estate.deployTrain(bertha, 'production-uk', '2026-01-09T10:00:00Z')
    estate.deployTrain(alicia, 'production-us', '2026-01-09T10:30:00Z')
  })
  afterAll(() => estate.cleanup())

  it('a new empty uk-release is neither a reminder nor "can be deleted"', () => {
    const bertha = trainOf(estate.board('2026-01-12T09:00:00Z'), 'BERTHA').train
    estate.repo('api').branch('uk-release', bertha.shas.api)
    estate.hotfixBranches.push({ service: 'api', branch: 'uk-release', tip: bertha.shas.api ?? '' })
    const board = estate.board('2026-01-12T09:30:00Z')
    expect(board.hotfixes).toEqual([
      expect.objectContaining({ branch: 'uk-release', region: 'uk', fixes: [], deployedIn: [], deletable: false }),
    ])
    expect(board.warnings).toEqual([])
  })

  it('a pick of a master fix deployed to the UK reminds only the US, about BERTHA, the train that reaches it next', () => {
    fix = estate.commit('api', '2026-01-12T11:00:00Z', 'Fix the VAT display (#5)', 'vat-fix.txt')
    const api = estate.repo('api')
    api.checkout('uk-release')
    picked = api.cherryPick(fix, { trailer: true, date: Date.parse('2026-01-12T11:30:00Z') / 1000 })
    api.checkout('master')
    estate.hotfixBranches[0] = { service: 'api', branch: 'uk-release', tip: picked }
    estate.deploy('api', 'production-uk', picked, '2026-01-12T12:00:00Z')
    const board = estate.board('2026-01-12T12:30:00Z')
    expect(regionOf(board, 'uk')).toMatchObject({ current: { name: 'BERTHA' }, nextWhy: 'up-to-date' })
    // The UK runs BERTHA: the train that reaches it next is CHARLIE, not cut yet, which will hold master's fix.
    expect(reaches(board)).toEqual([
      ['uk', 'CHARLIE', true, true],
      ['us', 'BERTHA', false, false],
    ])
    expect(board.hotfixes[0]).toMatchObject({ deployedIn: ['production-uk'], missingFrom: ['us'], deletable: false })
    expect(reminders(board)).toEqual([
      [
        'fix-not-in-next-train',
        'us',
        `Fix ${picked.slice(0, 7)} "Fix the VAT display (#5)" (on uk-release of api) is not yet in the next train for US (BERTHA).`,
      ],
    ])
  })

  it('a fix made only on uk-release reminds the UK that master lacks it, until master gets the same change', () => {
    const api = estate.repo('api')
    api.checkout('uk-release')
    direct = api.commit(
      'Guard the VAT rate (#6)',
      { 'vat-guard.txt': 'guard\n' },
      { date: Date.parse('2026-01-12T13:00:00Z') / 1000 },
    )
    api.checkout('master')
    estate.hotfixBranches[0] = { service: 'api', branch: 'uk-release', tip: direct }
    const board = estate.board('2026-01-12T13:30:00Z')
    expect(reaches(board)).toEqual([
      ['uk', 'CHARLIE', true, false],
      ['us', 'BERTHA', false, false],
    ])
    expect(reminders(board).filter(([, region]) => region === 'uk')).toEqual([
      [
        'fix-not-in-next-train',
        'uk',
        `Fix ${direct.slice(0, 7)} "Guard the VAT rate (#6)" (on uk-release of api) is not on master: the next train for UK (CHARLIE, cut 2026-01-16) would not carry it.`,
      ],
    ])
    // The same change made on master (a patch-id twin, no trailer) is what CHARLIE will carry.
    api.commit(
      'Guard the VAT rate (#6)',
      { 'vat-guard.txt': 'guard\n' },
      { date: Date.parse('2026-01-12T14:00:00Z') / 1000 },
    )
    const after = estate.board('2026-01-12T14:30:00Z')
    expect(reaches(after)).toEqual([
      ['uk', 'CHARLIE', true, true],
      ['us', 'BERTHA', false, false],
    ])
    expect(reminders(after).map(([, region]) => region)).toEqual(['us', 'us'])
  })

  it('after "Cut the train now" the UK is told about CHARLIE, which carries both fixes: no UK reminder', () => {
    estate.cutNow('2026-01-13T09:00:00Z')
    const board = estate.board('2026-01-13T09:05:00Z')
    const uk = regionOf(board, 'uk')
    expect(uk.next).toMatchObject({ name: 'CHARLIE', manualCut: { at: '2026-01-13T09:00:00Z' } })
    expect(uk.upcoming).toMatchObject({ train: { name: 'CHARLIE' }, planned: false })
    expect(trainOf(board, 'CHARLIE').phase).toBe('cut')
    expect(board.nextCut).toBe('2026-01-23T00:00:00.000Z')
    expect(reaches(board)).toEqual([
      ['uk', 'CHARLIE', false, true],
      ['us', 'BERTHA', false, false],
    ])
    expect(board.warnings.some((w) => w.region === 'uk' || w.message.includes('UK'))).toBe(false)
    // Promoting CHARLIE leaves the hotfix: the train carries its fixes but does not descend from them.
    expect(uk.dryRun.steps.find((s) => s.service === 'api')).toMatchObject({ leavesHotfix: true })
  })

  it('once the UK runs CHARLIE, BERTHA is passed over and CHARLIE reaches the US next: the reminder clears', () => {
    const charlie = trainOf(estate.board('2026-01-13T09:05:00Z'), 'CHARLIE').train
    estate.deployTrain(charlie, 'production-uk', '2026-01-13T10:00:00Z')
    // Work merged after the early cut waits for DARLENE.
    estate.work('2026-01-14T09:00:00Z', 'DARLENE work')
    const board = estate.board('2026-01-14T10:30:00Z')
    expect(regionOf(board, 'uk').current?.name).toBe('CHARLIE')
    expect(trainOf(board, 'BERTHA').phase).toBe('retired')
    expect(regionOf(board, 'us')).toMatchObject({ nextWhy: 'up-to-date', upcoming: { train: { name: 'CHARLIE' } } })
    expect(reaches(board)).toEqual([
      ['uk', 'DARLENE', true, true],
      ['us', 'CHARLIE', false, true],
    ])
    expect(board.hotfixes[0]).toMatchObject({ deployedIn: [], missingFrom: [], deletable: false })
    expect(board.warnings).toEqual([])
  })

  it('the Friday after the next cut, the seasoned CHARLIE goes to the US: uk-release can be deleted', () => {
    const before = estate.board('2026-01-23T10:05:00Z')
    const us = regionOf(before, 'us')
    expect(us.next?.name).toBe('CHARLIE')
    for (const step of us.dryRun.steps) estate.deploy(step.service, step.environment, step.sha, '2026-01-23T10:30:00Z')
    const board = estate.board('2026-01-23T11:00:00Z')
    expect(regionOf(board, 'us').current?.name).toBe('CHARLIE')
    expect(board.hotfixes[0]).toMatchObject({ deployedIn: [], missingFrom: [], deletable: true })
    expect(reminders(board)).toEqual([
      [
        'branch-can-be-deleted',
        '',
        'uk-release of api can be deleted: every region runs a train with its fixes and no environment runs the branch.',
      ],
    ])
  })
})
