import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TeamEstate, type Teammate } from './team-estate'

/*
 * production-us requires a QA sign-off in qa. History (git CLI): base ← signed ← next on master, and sibling on a
 * branch off base. production-us runs base. Sign-offs are kept locally here: the workspace names no coordination
 * repository, and every view says so.
 */
describe('requireSignoff against a real history', () => {
  const estate = new TeamEstate()
  let mei: Teammate
  const to = (target: string) => ({ service: 'billing', environment: 'production-us', target })
  const codes = async (target: string) =>
    (await mei.cockpit.invoke('deploys.preview', to(target))).blockers.map((b) => b.code)

  beforeAll(async () => {
    await estate.start({ coordination: false, requireSignoff: ['qa'] })
    mei = await estate.teammate('mei')
  }, 120_000)

  afterAll(() => estate.close())

  it('refuses what nobody verified, and says how to sign it off', async () => {
    const preview = await mei.cockpit.invoke('deploys.preview', to(estate.shas.next))
    expect(preview.blockers.map((b) => b.code)).toEqual(['missing-signoff'])
    expect(preview.blockers[0]?.message).toContain(`trainyard signoff billing ${estate.shas.next.slice(0, 7)} --env qa`)
    expect(preview.coordination).toMatchObject({ mode: 'local', required: ['qa'], missing: ['qa'], signoffs: [] })
    expect(preview.coordination?.note).toContain('Local only')
    const refused = await mei.cockpit.invoke('deploys.start', to(estate.shas.next)).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'missing-signoff' })
  })

  it('a sign-off on a commit production already runs vouches for nothing new', async () => {
    await mei.cockpit.invoke('coordination.signoff', {
      service: 'billing',
      target: estate.shas.base,
      environment: 'qa',
    })
    expect(await codes(estate.shas.next)).toEqual(['missing-signoff'])
  })

  it('a descendant that ships the signed SHA passes, a sibling does not; the preview lists the sign-offs', async () => {
    const signoff = await mei.cockpit.invoke('coordination.signoff', {
      service: 'billing',
      target: '#21',
      environment: 'qa',
      note: 'https://qa.acme.test/runs/981',
    })
    expect(signoff.sha).toBe(estate.shas.signed)
    expect(await codes(estate.shas.signed)).toEqual([])
    const preview = await mei.cockpit.invoke('deploys.preview', to(estate.shas.next))
    expect(preview.blockers).toEqual([])
    expect(preview.commits.map((c) => c.sha)).toEqual([estate.shas.next, estate.shas.signed])
    expect(preview.coordination?.signoffs).toEqual([
      expect.objectContaining({ sha: estate.shas.signed, environment: 'qa', note: 'https://qa.acme.test/runs/981' }),
    ])
    expect(preview.coordination?.missing).toEqual([])
    expect(await codes(estate.shas.sibling)).toEqual(['missing-signoff'])
  })

  it('a move that ships nothing new needs none', async () => {
    expect(await codes(estate.shas.base)).toEqual([])
  })

  it('qa itself requires nothing, and a sign-off in another environment does not count', async () => {
    expect(
      (
        await mei.cockpit.invoke('deploys.preview', {
          service: 'billing',
          environment: 'qa',
          target: estate.shas.sibling,
        })
      ).coordination?.required,
    ).toEqual([])
    await mei.cockpit.invoke('coordination.signoff', {
      service: 'billing',
      target: estate.shas.sibling,
      environment: 'production-us',
    })
    expect(await codes(estate.shas.sibling)).toEqual(['missing-signoff'])
  })
})
