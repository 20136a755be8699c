import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../../src/main/core/cockpit'
import { createCockpit } from '../../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../../src/main/core/logger'
import { startGitHubSimulator, type GitHubSimulator } from '../../../../src/main/simulators/github-simulator'
import { startRundeckSimulator, type RundeckSimulator } from '../../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../../src/main/simulators/version-endpoint'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../../support/git-repo'
import { startGitHttpServer, type GitHttpServer } from '../../../support/git-http-server'

const JOB = '5a1c2d3e-0000-4000-8000-00000000b002'
const RUNDECK = 'ledger-test-rundeck-token-1'
const GITHUB = 'ghp_ledgerTestToken0000000000000000000001'

/** GitHub Deployments as the shared ledger: recorded for every run, never in a deploy's way. */
describe('the GitHub Deployments ledger', () => {
  let repo: TestRepo
  let git: GitHttpServer
  let github: GitHubSimulator
  let rundeck: RundeckSimulator
  let versions: VersionEndpoint
  let cockpit: Cockpit
  let dir: string
  const sha: string[] = []

  beforeAll(async () => {
    dir = tmpDir('trainyard-ledger-')
    repo = createRepo()
    sha.push(
      repo.commit('one', { 'f.txt': '1\n' }),
      repo.commit('two', { 'f.txt': '2\n' }),
      repo.commit('three', { 'f.txt': '3\n' }),
    )
    mkdirSync(join(dir, 'served'))
    repo.git('clone', '--bare', repo.path, join(dir, 'served', 'pay.git'))
    git = await startGitHttpServer({ root: join(dir, 'served') })
    github = await startGitHubSimulator({ tokens: { [GITHUB]: 'release-bot' } })
    github.addRepo('acme', 'pay')
    rundeck = await startRundeckSimulator({
      tokens: { [RUNDECK]: 'cockpit' },
      jobs: [{ id: JOB, name: 'deploy', project: 'acme', options: [{ name: 'sha' }], durationMs: 200 }],
    })
    versions = await startVersionEndpoint()
    versions.set('pay', 'qa', sha[0] ?? '')
    const file = join(dir, 'pay.trainyard.yaml')
    writeFileSync(
      file,
      `version: 1
name: Ledger test
endpoints:
  rundeck: { kind: rundeck, url: ${rundeck.url}, apiVersion: 45, credential: rd, project: acme }
  github: { kind: github, url: ${github.url}, credential: gh }
services:
  - { name: pay, repo: ${git.repoUrl('pay')}, defaultBranch: master, github: acme/pay }
environments:
  qa:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}" } }
regions:
  eu: [qa]
`,
    )
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore({ rd: RUNDECK, gh: GITHUB }),
      logger: memoryLogger(),
    })
    await cockpit.invoke('workspace.open', { file })
    await cockpit.invoke('repos.fetch', { service: 'pay' })
  }, 120_000)

  afterAll(async () => {
    await cockpit?.close()
    await Promise.all([git?.close(), github?.close(), rundeck?.close(), versions?.close()])
    repo?.cleanup()
    removeDir(dir)
  })

  async function promote(target: string): Promise<string> {
    const run = await cockpit.invoke('deploys.start', { service: 'pay', environment: 'qa', target })
    await new Promise<void>((resolve) => {
      const stop = cockpit.events.listen((event, payload) => {
        const changed = (payload as { run?: { id: string; state: string } }).run
        if (event === 'deploys.changed' && changed?.id === run.id && ['succeeded', 'failed'].includes(changed.state)) {
          stop()
          resolve()
        }
      })
    })
    return run.id
  }

  async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const value = await read()
      if (ok(value)) return value
      await new Promise((r) => setTimeout(r, 100))
    }
    return read()
  }

  it('records a deployment of the SHA with in_progress then success, linking the provider run', async () => {
    const runId = await promote(sha[1] ?? '')
    const deployments = await eventually(
      () => github.deployments('acme', 'pay'),
      (d) => d.length === 1 && (d[0]?.statuses.length ?? 0) >= 2,
    )
    expect(deployments).toHaveLength(1)
    expect(deployments[0]).toMatchObject({ sha: sha[1], ref: sha[1], environment: 'qa' })
    expect(deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(deployments[0]?.statuses[1]?.logUrl).toContain(rundeck.url)
    const { run } = await eventually(
      () => cockpit.invoke('deploys.get', { runId }),
      (r) => r.run.ledger?.state === 'recorded',
    )
    expect(run).toMatchObject({ state: 'succeeded', ledger: { state: 'recorded' } })
  })

  it('never lets GitHub failures fail or block a deploy', async () => {
    github.fail({ kind: 'status', status: 502, times: 1000 })
    versions.set('pay', 'qa', sha[1] ?? '')
    const runId = await promote(sha[2] ?? '')
    const { run } = await cockpit.invoke('deploys.get', { runId })
    expect(run.state).toBe('succeeded')
    expect(rundeck.triggerCount(JOB)).toBe(2)
    expect(run.ledger?.state).toBe('pending')
    github.clearFaults()
  })
})
