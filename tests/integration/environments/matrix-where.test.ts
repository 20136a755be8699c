import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'

/**
 * The developers' question over a real clone: master moves on, a release branch carries two fixes picked
 * from master (one with -x, one without), production runs the release branch.
 */
describe('the matrix and "where is my commit" over a real clone', () => {
  let repo: TestRepo
  let git: GitHttpServer
  let versions: VersionEndpoint
  let cockpit: Cockpit
  let dir: string
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    dir = tmpDir('trainyard-where-')
    repo = createRepo()
    sha.base = repo.commit('Start', { 'a.txt': 'a\n'.repeat(20), 'b.txt': 'b\n'.repeat(20) })
    repo.branch('release')
    sha.feature = repo.commit('Merge pull request #7 from acme/feature\n\nNew feature', { 'c.txt': 'c\n' })
    sha.fixX = repo.commit('Fix a (#8)', { 'a.txt': 'A\n' + 'a\n'.repeat(19) })
    sha.fixPlain = repo.commit('Fix b (#9)', { 'b.txt': 'b\n'.repeat(19) + 'B\n' })
    sha.tip = repo.commit('Later work', { 'c.txt': 'c\nd\n' })
    repo.checkout('release')
    sha.pickedX = repo.cherryPick(sha.fixX, { trailer: true })
    sha.pickedPlain = repo.cherryPick(sha.fixPlain, { trailer: false })
    repo.checkout('master')
    mkdirSync(join(dir, 'served'))
    repo.git('clone', '--bare', repo.path, join(dir, 'served', 'shop.git'))
    git = await startGitHttpServer({ root: join(dir, 'served') })
    versions = await startVersionEndpoint()
    versions.set('shop', 'dev', sha.tip)
    versions.set('shop', 'staging', sha.feature.slice(0, 8))
    versions.set('shop', 'production', sha.pickedPlain)
    const file = join(dir, 'shop.trainyard.yaml')
    writeFileSync(
      file,
      `version: 1
name: Where test
services:
  - { name: shop, repo: ${git.repoUrl('shop')}, defaultBranch: master }
  - { name: broken, repo: ${git.repoUrl('shop')}, defaultBranch: master }
environments:
  dev: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha } }
  staging: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha } }
  production: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha } }
regions:
  eu: { label: Europe, path: [dev, staging, production] }
settings: { probeTimeoutMs: 2000 }
`,
    )
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore(),
      logger: memoryLogger(),
    })
    await cockpit.invoke('workspace.open', { file })
    await cockpit.invoke('repos.fetch', { service: 'shop' })
  }, 120_000)

  afterAll(async () => {
    await cockpit?.close()
    await Promise.all([git?.close(), versions?.close()])
    repo?.cleanup()
    removeDir(dir)
  })

  it('shows each cell with its SHA, drift against the environment before it, and isolated probe errors', async () => {
    const matrix = await cockpit.invoke('environments.matrix', { refresh: true })
    const cell = (service: string, env: string) =>
      matrix.cells.find((c) => c.service === service && c.environment === env)
    expect(cell('shop', 'dev')).toMatchObject({ shortSha: sha.tip?.slice(0, 7), subject: 'Later work' })
    // A short SHA from the probe is resolved by prefix in the clone.
    expect(cell('shop', 'staging')?.probe.sha).toBe(sha.feature)
    expect(cell('shop', 'staging')).toMatchObject({ previous: 'dev', behindPrevious: 3, aheadOfPrevious: 0 })
    // Production runs the release branch: two commits staging does not have, and it lacks staging's one.
    expect(cell('shop', 'production')).toMatchObject({ previous: 'staging', aheadOfPrevious: 2, behindPrevious: 1 })
    expect(matrix.warnings).toContainEqual(
      expect.objectContaining({ kind: 'not-descendant', service: 'shop', environment: 'production' }),
    )
    // The second service's version pages do not exist: its cells fail on their own.
    expect(cell('broken', 'dev')?.probe.error?.code).toBe('not-found')
    expect(matrix.warnings).toContainEqual(
      expect.objectContaining({ kind: 'probe-failed', service: 'broken', environment: 'dev' }),
    )
  })

  it('answers deployed, deployed as a cherry-pick (trailer or patch-id) or not deployed', async () => {
    const where = async (query: string) => {
      const answer = await cockpit.invoke('environments.where', { query, service: 'shop' })
      return Object.fromEntries(
        answer.cells.map((c) => [
          c.environment,
          c.state === 'deployed-as-cherry-pick' ? `${c.state} ${c.equivalentSha ?? ''} ${c.via ?? ''}` : c.state,
        ]),
      )
    }
    expect(await where(sha.fixX?.slice(0, 7) ?? '')).toEqual({
      dev: 'deployed',
      staging: 'not-deployed',
      production: `deployed-as-cherry-pick ${sha.pickedX} trailer`,
    })
    expect(await where('#9')).toEqual({
      dev: 'deployed',
      staging: 'not-deployed',
      production: `deployed-as-cherry-pick ${sha.pickedPlain} patch-id`,
    })
    expect(await where('#7')).toEqual({ dev: 'deployed', staging: 'deployed', production: 'not-deployed' })
    // Both ways: release's tip is the copy of fix b, and dev runs the original.
    expect(await where('release')).toEqual({
      dev: `deployed-as-cherry-pick ${sha.fixPlain} patch-id`,
      staging: 'not-deployed',
      production: 'deployed',
    })
    expect(await where(sha.base?.slice(0, 10) ?? '')).toEqual({
      dev: 'deployed',
      staging: 'deployed',
      production: 'deployed',
    })
  })

  it('says clearly when nothing matches', async () => {
    await expect(cockpit.invoke('environments.where', { query: 'deadbeef' })).rejects.toMatchObject({
      code: 'not-found',
    })
  })
})
