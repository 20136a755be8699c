import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EventHub } from '../../../src/main/core/events'
import { RecordingNotifier } from '../../../src/main/core/deploy/notifier'
import { createJenkinsProvider } from '../../../src/main/core/integrations/jenkins/provider'
import { DeployRunner } from '../../../src/main/core/deploy/runner'
import { startJenkinsSimulator, type JenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { workspace } from '../../unit/deploy/fixtures'
import { gitAncestry } from './fixtures/git-ancestry'

const USER = 'cockpit'
const TOKEN = 'jenkins-runner-secret-0b7d44e1a9'
const LOG = Array.from({ length: 15 }, (_, i) => `[deploy] \${ENV} ${i + 1}/15 \${SHA}`)

describe('DeployRunner against the Jenkins simulator', () => {
  let sim: JenkinsSimulator
  let repo: TestRepo
  let base: string
  let target: string
  let dir: string
  let events: { event: string; payload: unknown }[]
  let notifier: RecordingNotifier
  let runner: DeployRunner

  beforeAll(async () => {
    repo = createRepo()
    base = repo.commit('Live', { a: '1' })
    target = repo.commit('Next (#5)', { a: '2' })
    const parameters = [
      { name: 'SHA', type: 'string' as const },
      { name: 'ENV', type: 'string' as const },
    ]
    sim = await startJenkinsSimulator({
      jobs: [
        { path: 'deploy-web', parameters, durationMs: 300, quietMs: 100, log: LOG },
        { path: 'deploy-unstable', parameters, durationMs: 200, log: LOG, result: 'UNSTABLE' },
      ],
      users: [{ name: USER, token: TOKEN }],
    })
  })
  afterAll(async () => {
    await sim.close()
    repo.cleanup()
  })
  beforeEach(() => {
    dir = tmpDir()
    events = []
    const hub = new EventHub()
    hub.listen((event, payload) => events.push({ event, payload }))
    notifier = new RecordingNotifier(hub)
    const provider = createJenkinsProvider({
      endpoint: { url: sim.url, user: USER },
      credential: 'jenkins-token',
      secret: (name) => Promise.resolve(name === 'jenkins-token' ? TOKEN : undefined),
    })
    runner = new DeployRunner({
      journalFile: join(dir, 'journal.jsonl'),
      workspace: workspace(),
      providerFor: (service, environment) => ({
        provider,
        request: {
          service,
          environment,
          job: {
            provider: 'jenkins',
            endpoint: 'jenkins',
            job: environment === 'dev' ? 'deploy-unstable' : 'deploy-web',
            parameters: { SHA: '{sha}', ENV: '{environment}' },
          },
        },
      }),
      history: gitAncestry({ web: repo.path }),
      currentSha: () => Promise.resolve(base),
      notifier,
      events: hub,
      clock: () => new Date(),
      user: 'ana',
      poll: { initialMs: 10, maxMs: 40 },
    })
  })
  afterEach(async () => {
    await runner.close()
    removeDir(dir)
  })

  function expectNoSecret(): void {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name))
    const basic = Buffer.from(`${USER}:${TOKEN}`).toString('base64')
    for (const text of [
      ...files.map((f) => readFileSync(f, 'utf8')),
      JSON.stringify(events),
      JSON.stringify(runner.list()),
    ]) {
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(basic)
    }
  }

  it('follows the queue item to its build and the build to SUCCESS, with the whole console as log events', async () => {
    const before = sim.triggerCount('deploy-web')
    const run = await runner.start({ service: 'web', environment: 'qa', target })
    const ended = await runner.waitForEnd(run.id)
    expect(ended.state).toBe('succeeded')
    expect(sim.triggerCount('deploy-web')).toBe(before + 1)
    const build = sim.builds('deploy-web').at(-1)
    expect(build?.params).toEqual({ SHA: target, ENV: 'qa' })
    const logged = events
      .filter((e) => e.event === 'deploys.logged')
      .flatMap((e) => (e.payload as { lines: string[] }).lines)
    expect(logged.join('\n')).toBe(build?.log.trimEnd())
    // The journal learnt the build number once the item left the queue.
    const refs = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { ref?: { buildNumber?: number } })
      .filter((l) => l.ref)
    expect(refs.at(-1)?.ref?.buildNumber).toBe(build?.number)
    expect(notifier.ended).toEqual([
      expect.objectContaining({ runId: run.id, result: 'succeeded', service: 'web', environment: 'qa' }),
    ])
    expectNoSecret()
  })

  it('records an UNSTABLE build as failed, keeping Jenkins’ word', async () => {
    const run = await runner.start({ service: 'web', environment: 'dev', target })
    const ended = await runner.waitForEnd(run.id)
    expect(ended.state).toBe('failed')
    expect(ended.detail).toMatch(/UNSTABLE/)
    expect(notifier.ended.at(-1)).toMatchObject({ result: 'failed' })
    expectNoSecret()
  })
})
