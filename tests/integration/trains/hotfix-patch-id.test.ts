import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Estate, regionOf, trainOf, trainSettings } from './estate'

/*
 * A UK hotfix picked without -x: no trailer, so only the patch-id (through the `equivalent` port) ties the
 * pick on uk-release to its master commit. The reminder must still clear once the next train carries it.
 */
describe('a hotfix picked without a trailer', () => {
  const estate = new Estate({
    ...trainSettings({ date: '2026-01-01', name: 'ALICIA' }),
    regions: [{ region: 'uk', lag: 0 }],
  })
  let fix = ''
  let picked = ''

  beforeAll(() => {
    for (const s of ['api', 'billing', 'web']) estate.commit(s, '2025-12-29T09:00:00Z', `Start ${s}`, 'login.txt')
    estate.work('2025-12-31T09:00:00Z', 'ALICIA work')
    estate.work('2026-01-06T09:00:00Z', 'BERTHA work')
    fix = estate.commit('api', '2026-01-07T09:00:00Z', 'Fix login (#77)', 'login-fix.txt')
    estate.work('2026-01-13T09:00:00Z', 'CHARLIE work')
    const alicia = trainOf(estate.board('2026-01-05T00:00:00Z'), 'ALICIA').train
    const api = estate.repo('api')
    api.branch('uk-release', alicia.shas.api)
    api.checkout('uk-release')
    picked = api.cherryPick(fix, { date: Date.parse('2026-01-07T12:00:00Z') / 1000 })
    api.checkout('master')
    estate.deployTrain(alicia, 'production-uk', '2026-01-02T10:00:00Z')
    estate.deploy('api', 'production-uk', picked, '2026-01-07T13:00:00Z')
    estate.hotfixBranches.push({ service: 'api', branch: 'uk-release', tip: picked })
  })
  afterAll(() => estate.cleanup())

  it('finds the master commit by patch-id, so the planned BERTHA is known to carry it: no reminder', () => {
    const board = estate.board('2026-01-08T09:00:00Z')
    expect(board.hotfixes[0]?.fixes).toEqual([
      { service: 'api', sha: picked, subject: 'Fix login (#77)', source: { sha: fix, via: 'patch-id' } },
    ])
    expect(board.hotfixes[0]?.reaches.map((r) => [r.region, r.train.name, r.planned, r.carries])).toEqual([
      ['uk', 'BERTHA', true, true],
    ])
    expect(board.warnings).toEqual([])
  })

  it('clears the reminder once BERTHA is cut with the fix, and leaves the hotfix on promote', () => {
    const board = estate.board('2026-01-09T09:00:00Z')
    expect(board.warnings).toEqual([])
    const uk = regionOf(board, 'uk')
    expect(uk.next?.name).toBe('BERTHA')
    expect(uk.dryRun.steps.find((s) => s.service === 'api')).toMatchObject({ leavesHotfix: true })
    expect(uk.dryRun.skips).toEqual([])
  })

  it('says uk-release can be deleted once the UK runs BERTHA', () => {
    estate.deployTrain(
      trainOf(estate.board('2026-01-09T09:00:00Z'), 'BERTHA').train,
      'production-uk',
      '2026-01-09T10:00:00Z',
    )
    const board = estate.board('2026-01-09T11:00:00Z')
    expect(board.hotfixes[0]).toMatchObject({ deployedIn: [], missingFrom: [], deletable: true })
    expect(board.warnings.map((w) => w.message)).toEqual([
      'uk-release of api can be deleted: every region runs a train with its fixes and no environment runs the branch.',
    ])
  })
})
