import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlowEstate } from './estate'

/* A fix picked onto the hotfix branch without -x is still matched to its master commit, by patch-id. */
describe('a hotfix picked without a trailer, on the board', () => {
  const estate = new FlowEstate()
  let fix = ''
  let picked = ''

  beforeAll(async () => {
    const base = estate.commit('billing', '2026-01-06T09:00:00Z', 'Base (#1)', { 'a.txt': '1\n' })
    estate.commit('billing', '2026-01-07T09:00:00Z', 'Unrelated (#2)', { 'b.txt': '1\n' })
    fix = estate.commit('billing', '2026-01-07T10:00:00Z', 'Fix rounding (#3)', { 'a.txt': '1\nfixed\n' })
    const repo = estate.repo('billing')
    repo.branch('uk-release', base)
    repo.checkout('uk-release')
    picked = repo.cherryPick(fix, { trailer: false, date: Date.parse('2026-01-07T11:00:00Z') / 1000 })
    repo.checkout('master')
    await estate.start()
    estate.now = new Date('2026-01-08T09:00:00Z')
  }, 30_000)
  afterAll(() => estate.close())

  it('lists the remote branch with its fix traced to master by patch-id', async () => {
    const board = await estate.cockpit.invoke('trains.board', {})
    expect(board.hotfixes).toEqual([
      expect.objectContaining({
        service: 'billing',
        branch: 'uk-release',
        region: 'uk',
        tip: picked,
        fixes: [expect.objectContaining({ sha: picked, source: { sha: fix, via: 'patch-id' } })],
      }),
    ])
  })
})
