import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { SHALLOW_FIRST_DEPTH } from '../../../src/main/core/git/clone/shallow'
import { memoryLogger } from '../../../src/main/core/logger'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { RepoStatus } from '../../../src/shared/api/views'
import type { WhereAnswer } from '../../../src/shared/models/environments'
import { createRepo, removeDir, tmpDir, type ImportCommit, type TestRepo } from '../../support/git-repo'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { rejection } from '../../support/rejection'

/**
 * First answers early, through the contract: a workspace opened on a service whose default branch is deeper than
 * the first clone takes answers from recent history while the rest is still arriving (the deepen held mid-pack
 * here), says "not yet known" (`not-ready`) for what needs older history, never `not-deployed`, and answers
 * everything once the deepen, resumed after a cancel, is complete.
 */
describe('first answers while the history is still loading', () => {
  const COMMITS = SHALLOW_FIRST_DEPTH + 100
  let repo: TestRepo
  let git: GitHttpServer
  let versions: VersionEndpoint
  let cockpit: Cockpit
  let dir: string
  let shas: string[]
  let release: string
  const statuses: RepoStatus[] = []
  const logger = memoryLogger()

  const state = (answer: WhereAnswer, environment: string) => {
    const cell = answer.cells.find((c) => c.environment === environment)
    return cell?.state === 'unknown' ? `unknown ${cell.error?.code ?? ''}`.trim() : cell?.state
  }

  beforeAll(async () => {
    dir = tmpDir('trainyard-first-answers-')
    repo = createRepo()
    // A straight default branch deeper than the first clone, and a release branch made from its old history.
    const commits: ImportCommit[] = Array.from({ length: COMMITS }, (_, i) => ({
      ref: 'refs/heads/master',
      parents: i === 0 ? [] : [i - 1],
      message: `Change ${i}\n`,
      time: 1_700_000_000 + i * 60,
      files: { [`f${i % 10}.txt`]: `${i}\n` },
    }))
    commits.push({ ref: 'refs/heads/release', parents: [50], message: 'Release fix\n', time: 1_700_100_000 })
    shas = repo.fastImport(commits)
    release = shas.pop() as string
    repo.git('checkout', '-q', 'master')
    mkdirSync(join(dir, 'served'))
    repo.git('clone', '--bare', repo.path, join(dir, 'served', 'shop.git'))
    git = await startGitHttpServer({ root: join(dir, 'served') })
    versions = await startVersionEndpoint()
    versions.set('shop', 'dev', shas.at(-1) as string)
    versions.set('shop', 'staging', shas.at(-6) as string)
    versions.set('shop', 'production', release)
    const file = join(dir, 'shop.trainyard.yaml')
    writeFileSync(
      file,
      `version: 1
name: First answers
services:
  - { name: shop, repo: ${git.repoUrl('shop')}, defaultBranch: master }
environments:
  dev: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha } }
  staging: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha } }
  production: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha } }
regions:
  eu: { label: Europe, path: [dev, staging, production] }
settings: { probeTimeoutMs: 2000, fetchIntervalMinutes: 0 }
`,
    )
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore(),
      logger,
    })
    // Events are delivered as they are emitted: the deepen that follows the first clone is held mid-pack.
    cockpit.events.on('repos.fetched', (status) => {
      statuses.push(status)
      if (status.historyLoading && statuses.length === 1) git.setFault({ kind: 'stall-upload-pack', afterBytes: 2000 })
    })
    await cockpit.invoke('workspace.open', { file })
    await git.stalled()
  }, 120_000)

  afterAll(async () => {
    await cockpit?.close()
    await Promise.all([git?.close(), versions?.close()])
    repo?.cleanup()
    removeDir(dir)
  })

  it('answers for recent history at once, and "not yet known" for the rest', async () => {
    expect(statuses[0]).toMatchObject({ service: 'shop', state: 'ready', historyLoading: true })
    const [status] = await cockpit.invoke('repos.status', {})
    expect(status).toMatchObject({ state: 'fetching', historyLoading: true })
    expect(status?.commits).toBe(SHALLOW_FIRST_DEPTH)

    const matrix = await cockpit.invoke('environments.matrix', { refresh: true })
    const staging = matrix.cells.find((c) => c.environment === 'staging')
    expect(staging).toMatchObject({ previous: 'dev', behindPrevious: 5, aheadOfPrevious: 0 })
    expect(matrix.warnings.find((w) => w.environment === 'production')?.message).toMatch(/history still loading/)

    const recent = await cockpit.invoke('environments.where', { query: shas.at(-3) as string })
    expect(state(recent, 'dev')).toBe('deployed')
    // Not in staging's history, but a copy might sit in history not fetched yet; production runs such history.
    expect(state(recent, 'staging')).toBe('unknown not-ready')
    expect(state(recent, 'production')).toBe('unknown not-ready')

    const old = await rejection(cockpit.invoke('environments.where', { query: shas[10] as string }))
    expect(old.code).toBe('not-ready')
    expect(old.message).toMatch(/history still loading/)

    const compare = await cockpit.invoke('environments.compare', { service: 'shop', from: 'staging', to: 'dev' })
    expect(compare.ahead).toHaveLength(5)
    expect(compare.cherryPicksPending).toMatch(/history still loading/)
    const across = await rejection(
      cockpit.invoke('environments.compare', { service: 'shop', from: 'production', to: 'dev' }),
    )
    expect(across.code).toBe('not-ready')
  })

  it('after the deepen (cancelled once, then resumed) every answer is there', async () => {
    await cockpit.invoke('repos.cancel', { service: 'shop' })
    git.setFault(undefined)
    const [status] = await cockpit.invoke('repos.fetch', { service: 'shop' })
    expect(status?.historyLoading).toBeUndefined()
    expect(status?.commits).toBe(COMMITS + 1)

    const old = await cockpit.invoke('environments.where', { query: shas[10] as string })
    expect(state(old, 'dev')).toBe('deployed')
    expect(state(old, 'production')).toBe('deployed')
    const across = await cockpit.invoke('environments.compare', { service: 'shop', from: 'production', to: 'dev' })
    expect(across.ahead).toHaveLength(500)
    expect(across.behind.map((c) => c.sha)).toEqual([release])
  })
})
