import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { startGitHubSimulator, type GitHubSimulator } from '../../../src/main/simulators/github-simulator'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { AppError } from '../../../src/shared/errors'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'

const JOB = '5a1c2d3e-0000-4000-8000-00000000c003'
const RUNDECK = 'unknown-current-rundeck-token-1'
const GITHUB = 'ghp_unknownCurrentToken00000000000000001'

/*
 * A probe that answers 503 must never turn a promote into an unchecked "first deploy": the guard falls back on
 * the last success in the journal, then on GitHub Deployments, and with neither refuses (`current-unknown`) unless
 * the person confirms a first deploy.
 */
describe('a promote when the probe cannot tell what an environment runs', () => {
  let repo: TestRepo
  let git: GitHttpServer
  let github: GitHubSimulator
  let rundeck: RundeckSimulator
  let versions: VersionEndpoint
  let cockpit: Cockpit
  let dir: string
  const sha: string[] = []

  beforeAll(async () => {
    dir = tmpDir('trainyard-unknown-current-')
    repo = createRepo()
    for (let i = 0; i < 4; i++) sha.push(repo.commit(`change ${i}`, { 'f.txt': `${i}\n` }))
    mkdirSync(join(dir, 'served'))
    repo.git('clone', '--bare', repo.path, join(dir, 'served', 'pay.git'))
    git = await startGitHttpServer({ root: join(dir, 'served') })
    github = await startGitHubSimulator({ tokens: { [GITHUB]: 'release-bot' } })
    github.addRepo('acme', 'pay')
    rundeck = await startRundeckSimulator({
      tokens: { [RUNDECK]: 'cockpit' },
      jobs: [{ id: JOB, name: 'deploy', project: 'acme', options: [{ name: 'sha' }], durationMs: 100 }],
    })
    versions = await startVersionEndpoint()
    for (const env of ['qa', 'staging']) versions.fault('pay', env, { kind: 'status', status: 503 })
    const file = join(dir, 'pay.trainyard.yaml')
    writeFileSync(
      file,
      `version: 1
name: Unknown current
endpoints:
  rundeck: { kind: rundeck, url: ${rundeck.url}, apiVersion: 45, credential: rd, project: acme }
  github: { kind: github, url: ${github.url}, credential: gh }
services:
  - { name: pay, repo: ${git.repoUrl('pay')}, defaultBranch: master, github: acme/pay }
environments:
  qa:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}" } }
  staging:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}" } }
regions:
  eu: [qa, staging]
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

  const request = (environment: string, target: string) => ({ service: 'pay', environment, target })
  const refusal = (promise: Promise<unknown>): Promise<AppError> =>
    promise.then(
      () => {
        throw new Error('the promote was not refused')
      },
      (error: unknown) => error as AppError,
    )
  const until = (runId: string): Promise<DeployRun> =>
    new Promise((resolve) => {
      const stop = cockpit.events.listen((event, payload) => {
        const changed = (payload as { run?: DeployRun }).run
        if (event === 'deploys.changed' && changed?.id === runId && changed.state === 'succeeded') {
          stop()
          resolve(changed)
        }
      })
    })

  it('with no probe answer, no run in the journal and none on GitHub: refused until a first deploy is confirmed', async () => {
    const preview = await cockpit.invoke('deploys.preview', request('qa', sha[1] ?? ''))
    expect(preview.kind).toBe('first-deploy')
    expect(preview.blockers.map((b) => b.code)).toEqual(['current-unknown'])
    expect((await refusal(cockpit.invoke('deploys.start', request('qa', sha[1] ?? '')))).code).toBe('current-unknown')
    expect(rundeck.triggerCount(JOB)).toBe(0)

    const confirmed = { ...request('qa', sha[2] ?? ''), firstDeploy: true }
    expect((await cockpit.invoke('deploys.preview', confirmed)).blockers).toEqual([])
    const run = await cockpit.invoke('deploys.start', confirmed)
    await until(run.id)
    expect(rundeck.triggerCount(JOB)).toBe(1)
  })

  it('falls back on the last success in the journal: an older SHA is a rollback, not a first deploy', async () => {
    const preview = await cockpit.invoke('deploys.preview', request('qa', sha[0] ?? ''))
    expect(preview).toMatchObject({ kind: 'rollback', currentSha: sha[2], currentSource: 'journal' })
    expect(preview.removes.map((c) => c.sha)).toEqual([sha[2], sha[1]])
    // Confirming a first deploy does not lift the ancestry check once something is known.
    const refused = await refusal(
      cockpit.invoke('deploys.start', { ...request('qa', sha[0] ?? ''), firstDeploy: true }),
    )
    expect(refused.code).toBe('not-a-descendant')
    expect(rundeck.triggerCount(JOB)).toBe(1)
  })

  it('then on GitHub Deployments, when the journal knows nothing of the environment', async () => {
    // Someone else's cockpit deployed sha[3] to staging and recorded it on GitHub.
    const headers = { authorization: `token ${GITHUB}`, 'content-type': 'application/json' }
    const created = await fetch(`${github.url}/repos/acme/pay/deployments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ref: sha[3], environment: 'staging', auto_merge: false, required_contexts: [] }),
    })
    const { id } = (await created.json()) as { id: number }
    await fetch(`${github.url}/repos/acme/pay/deployments/${id}/statuses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ state: 'success' }),
    })
    const preview = await cockpit.invoke('deploys.preview', request('staging', sha[2] ?? ''))
    expect(preview).toMatchObject({ kind: 'rollback', currentSha: sha[3], currentSource: 'github' })
    expect(preview.blockers.map((b) => b.code)).toEqual(['not-a-descendant'])
    expect((await refusal(cockpit.invoke('deploys.start', request('staging', sha[2] ?? '')))).code).toBe(
      'not-a-descendant',
    )
    expect(rundeck.triggerCount(JOB)).toBe(1)
  })
})
