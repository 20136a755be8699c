import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import { ServiceRepos } from '../../../src/main/core/repos/service-repos'
import type { Workspace } from '../../../src/shared/models/workspace'
import { tmpDir } from '../../support/git-repo'
import { oneCell } from '../../support/one-cell'
import { serveRepo, type ServedRepo } from '../../support/served-repo'

/*
 * The app fills a clone's equivalence table in the background; a one-shot process (the CLI) computes only what its
 * answers need, and keeps that for the next command.
 */
describe('the equivalence fill, in the app and in a one-shot command', () => {
  let repo: ServedRepo
  let workspace: Workspace
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    repo = await serveRepo((s) => {
      s.commit('Base', { 'a.txt': '1\n' })
      s.branch('release')
      for (let i = 0; i < 20; i++) s.commit(`Change ${i}`, { [`f${i}.txt`]: `${i}\n` })
      sha.fix = s.commit('Fix', { 'a.txt': '2\n' })
      s.checkout('release')
      sha.pick = s.cherryPick(sha.fix, { trailer: false })
      s.checkout('master')
    })
    const base = oneCell({ kind: 'none' })
    workspace = {
      ...base,
      services: base.services.map((svc) => ({
        ...svc,
        repo: { url: repo.server.repoUrl('app') },
        defaultBranch: 'master',
      })),
    }
  })
  afterAll(() => repo.close())

  function reposIn(root: string, backgroundFill?: boolean): ServiceRepos {
    const clones = new Clones({ root: join(root, 'clones'), secret: () => Promise.resolve(undefined) })
    return new ServiceRepos(
      workspace,
      clones,
      join(root, 'cache'),
      backgroundFill === undefined ? {} : { backgroundFill },
    )
  }

  it('the app fills the table on its own once the index opens', async () => {
    const repos = reposIn(tmpDir())
    const index = await repos.index('web')
    await repos.settled()
    const table = await repos.equivalence('web')
    expect(index.size).toBeGreaterThan(20)
    expect(table.known(sha.fix ?? '')).not.toBe('nothing')
    await repos.close()
  })

  it('a one-shot command computes only what its answer needs, and saves that at close', async () => {
    const root = tmpDir()
    const repos = reposIn(root, false)
    const index = await repos.index('web')
    await repos.settled()
    const table = await repos.equivalence('web')
    // Nothing ran on its own: not even the newest commit has a header id.
    const tip = index.resolve('origin/master') ?? ''
    expect(table.known(tip)).toBe('nothing')
    // The answer computes its own ids: the fix is on release as a pick without a trailer (same patch-id).
    const answer = await repos.equivalent('web', sha.fix ?? '', sha.pick ?? '')
    expect(answer).toMatchObject({ sha: sha.pick, via: 'patch-id' })
    expect(table.known(sha.fix ?? '')).toBe('patch-id')
    await repos.close()
    expect(existsSync(join(root, 'cache', 'equivalence', 'web.eqi'))).toBe(true)
    // The next command starts from what this one computed.
    const next = reposIn(root, false)
    await next.index('web')
    expect((await next.equivalence('web')).known(sha.fix ?? '')).toBe('patch-id')
    await next.close()
  })
})
