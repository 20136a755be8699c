import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EventHub } from '../../../src/main/core/events'
import { RecordingNotifier } from '../../../src/main/core/deploy/notifier'
import { DeployRunner, type DeployRunnerOptions } from '../../../src/main/core/deploy/runner'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { AppError } from '../../../src/shared/errors'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { workspace } from '../../unit/deploy/fixtures'
import { gitAncestry } from './fixtures/git-ancestry'
import { rundeckBinding } from './fixtures/rundeck-binding'

const TOKEN = 'rdk-runner-test-secret-91c2e4'
const LOG = Array.from({ length: 12 }, (_, i) => `deploying \${option.SHA}: step ${i + 1}`)

describe('DeployRunner against the Rundeck simulator', () => {
  let sim: RundeckSimulator
  let repo: TestRepo
  let base: string
  let target: string
  let dir: string
  let events: { event: string; payload: unknown }[]
  let notifier: RecordingNotifier
  let runner: DeployRunner
  let options: DeployRunnerOptions

  beforeAll(async () => {
    repo = createRepo()
    base = repo.commit('Live everywhere', { a: '1' })
    target = repo.commit('Faster checkout (#31)', { a: '2' })
    sim = await startRundeckSimulator({
      jobs: [
        {
          id: 'deploy-qa',
          name: 'deploy',
          project: 'web',
          durationMs: 300,
          log: LOG,
          options: [{ name: 'SHA', required: true }],
        },
        {
          id: 'deploy-slow',
          name: 'deploy-slow',
          project: 'web',
          durationMs: 60_000,
          log: LOG,
          options: [{ name: 'SHA', required: true }],
        },
      ],
      tokens: { [TOKEN]: 'cockpit' },
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
    options = {
      journalFile: join(dir, 'journal.jsonl'),
      workspace: workspace(),
      providerFor: (service, environment) =>
        rundeckBinding({
          url: sim.url,
          token: TOKEN,
          jobId: environment === 'dev' ? 'deploy-slow' : 'deploy-qa',
          service,
          environment,
        }),
      history: gitAncestry({ web: repo.path }),
      currentSha: () => Promise.resolve(base),
      notifier,
      events: hub,
      clock: () => new Date(),
      user: 'ana',
      poll: { initialMs: 10, maxMs: 40 },
    }
    runner = new DeployRunner(options)
  })
  afterEach(async () => {
    await runner.close()
    sim.faults.clear()
    // Let any execution of the shared jobs finish so the next test starts idle.
    while (sim.executions().some((e) => e.status === 'running' || e.status === 'queued'))
      await new Promise((r) => setTimeout(r, 20))
    removeDir(dir)
  })

  /** Everything the runner produced that a person or another process could read: none may hold the token. */
  function expectNoSecret(): void {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name))
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), JSON.stringify(events), JSON.stringify(runner.list())]
    for (const text of texts) {
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(TOKEN.slice(0, 5))
    }
  }

  it('runs a promote to its end: one trigger, the log as events, the result notified', async () => {
    const before = sim.triggerCount('deploy-qa')
    const run = await runner.start({ service: 'web', environment: 'qa', target: 'master' })
    const ended = await runner.waitForEnd(run.id)
    expect(ended.state).toBe('succeeded')
    expect(sim.triggerCount('deploy-qa')).toBe(before + 1)
    expect(sim.triggers.at(-1)?.options).toEqual({ SHA: target })
    const execution = sim.executions('deploy-qa').at(-1)
    const logged = events
      .filter((e) => e.event === 'deploys.logged')
      .flatMap((e) => (e.payload as { lines: string[] }).lines)
    expect(logged).toEqual(execution?.log)
    expect(runner.get(run.id).log).toEqual(execution?.log)
    expect(notifier.ended).toEqual([
      {
        runId: run.id,
        service: 'web',
        environment: 'qa',
        result: 'succeeded',
        durationMs: expect.any(Number) as number,
      },
    ])
    expect(events.some((e) => e.event === 'notifications.shown')).toBe(true)
    expectNoSecret()
  })

  it('lets one of two simultaneous promotes win and refuses the other with deploy-conflict', async () => {
    const before = sim.triggerCount('deploy-qa')
    const results = await Promise.allSettled([
      runner.start({ service: 'web', environment: 'qa', target }),
      runner.start({ service: 'web', environment: 'qa', target }),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect((lost[0]?.reason as AppError).code).toBe('deploy-conflict')
    expect(sim.triggerCount('deploy-qa')).toBe(before + 1)
    if (won[0]?.status === 'fulfilled') expect((await runner.waitForEnd(won[0].value.id)).state).toBe('succeeded')
    expectNoSecret()
  })

  it('refuses a promote while Rundeck runs the job for that environment (started elsewhere)', async () => {
    const headers = { 'X-Rundeck-Auth-Token': TOKEN, 'Content-Type': 'application/json' }
    // The minute-long job, so it is surely still running when the runner asks.
    const response = await fetch(`${sim.url}/api/45/job/deploy-slow/run`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ options: { SHA: base } }),
    })
    expect(response.status).toBe(200)
    const elsewhere = (await response.json()) as { id: number }
    const before = sim.triggerCount('deploy-slow')
    const refused = (await runner
      .start({ service: 'web', environment: 'dev', target })
      .catch((e: unknown) => e)) as AppError
    expect(refused.code).toBe('deploy-conflict')
    expect(sim.triggerCount('deploy-slow')).toBe(before)
    expect(runner.list()).toEqual([])
    await fetch(`${sim.url}/api/45/execution/${elsewhere.id}/abort`, { method: 'POST', headers })
  })

  it('rides out failing status and log reads without a second trigger', async () => {
    sim.faults.set({ serverError: { count: 4, match: /GET \/api\/45\/execution/ } })
    const before = sim.triggerCount('deploy-qa')
    const run = await runner.start({ service: 'web', environment: 'qa', target })
    expect((await runner.waitForEnd(run.id)).state).toBe('succeeded')
    expect(sim.triggerCount('deploy-qa')).toBe(before + 1)
    expect(runner.get(run.id).log).toHaveLength(LOG.length)
  })

  it('marks the run unknown when the trigger reached Rundeck but the answer was lost, and never sends it again', async () => {
    sim.faults.set({ reset: { count: 1, after: true, match: 'POST /api/45/job/deploy-qa/run' } })
    const before = sim.triggerCount('deploy-qa')
    const run = await runner.start({ service: 'web', environment: 'qa', target })
    expect(run.state).toBe('unknown')
    expect(sim.triggerCount('deploy-qa')).toBe(before + 1)
    await runner.close()
    const restarted = new DeployRunner(options)
    expect(restarted.resume()).toEqual([])
    expect(restarted.get(run.id).run.state).toBe('unknown')
    const blocked = (await restarted
      .start({ service: 'web', environment: 'qa', target })
      .catch((e: unknown) => e)) as AppError
    expect(blocked.code).toBe('deploy-conflict')
    expect(restarted.resolve(run.id, 'succeeded', 'execution 7 in Rundeck succeeded').state).toBe('succeeded')
    await restarted.close()
    expect(sim.triggerCount('deploy-qa')).toBe(before + 1)
    expectNoSecret()
  })

  it('aborts through Rundeck and ends aborted once Rundeck confirms', async () => {
    const run = await runner.start({ service: 'web', environment: 'dev', target })
    const aborted = await runner.abort(run.id)
    expect(aborted.state).toBe('aborted')
    expect(sim.executions('deploy-slow').at(-1)?.status).toBe('aborted')
    expect(notifier.ended.at(-1)).toMatchObject({
      runId: run.id,
      result: 'aborted',
      service: 'web',
      environment: 'dev',
    })
    expectNoSecret()
  })

  it('records a refused trigger as failed without the token in the error', async () => {
    sim.faults.set({ forbidden: { count: 1, match: 'POST' } })
    const run = await runner.start({ service: 'web', environment: 'qa', target })
    expect(run).toMatchObject({ state: 'failed', error: { code: 'auth-failed' } })
    expect(notifier.ended.at(-1)).toMatchObject({ runId: run.id, result: 'failed' })
    expectNoSecret()
  })
})
