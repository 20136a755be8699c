import { createServer } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createRundeckProvider } from '../../../../src/main/core/integrations/rundeck/provider'
import type { ProviderDeployRequest } from '../../../../src/main/core/deploy/provider'
import { DEFAULT_RUNDECK_TOKEN, startRundeckSimulator } from '../../../../src/main/simulators/rundeck-sim'
import type { RundeckSimulator } from '../../../../src/main/simulators/rundeck-sim'
import type { RundeckOutcome } from '../../../../src/main/simulators/rundeck-model'
import { failure } from '../../../support/failure'

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0)
const DEPLOY = '7400ff98-31c4-4834-ba3d-aee9646e867f'
const MULTI = 'a0a0a0a0-0000-4000-8000-00000000000a'
const SHA = '3f2a9c1d0e3f2a9c1d0e3f2a9c1d0e3f2a9c1d0e'

let now = T0
let sim: RundeckSimulator
const secrets: Record<string, string> = {
  'rundeck-prod': DEFAULT_RUNDECK_TOKEN,
  'rundeck-wrong': 'WRONG-token-value-42',
}

function provider(credential = 'rundeck-prod', apiVersion?: number, extra: { timeoutMs?: number; url?: string } = {}) {
  return createRundeckProvider({
    endpoint: { url: extra.url ?? sim.url, project: 'web', ...(apiVersion !== undefined ? { apiVersion } : {}) },
    credential,
    secret: (name) => Promise.resolve(secrets[name]),
    ...(extra.timeoutMs !== undefined ? { timeoutMs: extra.timeoutMs } : {}),
  })
}

function request(jobId: string, environment: string, sha = SHA): ProviderDeployRequest {
  return {
    service: 'web',
    environment,
    sha,
    job: { provider: 'rundeck', endpoint: 'rd', jobId, options: { SHA: sha, ENV: environment } },
  }
}

beforeAll(async () => {
  sim = await startRundeckSimulator({
    clock: () => now,
    jobs: [
      {
        id: DEPLOY,
        name: 'deploy',
        project: 'web',
        durationMs: 1000,
        options: [
          { name: 'SHA', required: true },
          { name: 'ENV', values: ['staging', 'production'], enforced: true },
        ],
        log: ['deploying ${option.SHA}', 'rolling', 'done'],
      },
      { id: MULTI, name: 'deploy-any', project: 'web', durationMs: 1000, allowConcurrent: true },
    ],
  })
})
afterAll(() => sim.close())
beforeEach(() => sim.faults.clear())

describe('Rundeck provider against the simulator', () => {
  it('triggers with the templated options, polls to succeeded and tails the log by cursor', async () => {
    const p = provider()
    const ref = await p.trigger(request(DEPLOY, 'production'))
    expect(ref).toMatchObject({ provider: 'rundeck', id: expect.stringMatching(/^\d+$/) as string })
    expect(ref.url).toContain(`/project/web/execution/show/${ref.id}`)
    expect(sim.triggers.at(-1)?.options).toEqual({ SHA, ENV: 'production' })
    expect(await p.status(ref)).toMatchObject({ state: 'running', final: false, detail: 'running', user: 'cockpit' })

    now += 300
    const first = await p.log(ref, undefined)
    expect(first).toMatchObject({ lines: [`deploying ${SHA}`], complete: false })
    now += 1000
    const rest = await p.log(ref, first.cursor)
    expect(rest).toMatchObject({ lines: ['rolling', 'done'], complete: true })
    const done = await p.status(ref)
    expect(done).toMatchObject({ state: 'succeeded', final: true })
    expect(done.endedAt).toBe(new Date(T0 + 1000).toISOString().replace('.000', ''))
  })

  it('maps a second trigger of a running non-concurrent job to deploy-conflict, without queueing it', async () => {
    const p = provider()
    await p.trigger(request(DEPLOY, 'staging'))
    const before = sim.triggerCount()
    const error = await failure(p.trigger(request(DEPLOY, 'production')))
    expect(error.code).toBe('deploy-conflict')
    expect(error.message).toContain('already running')
    expect(sim.triggerCount()).toBe(before)
    now += 2000
  })

  it('maps every Rundeck status', async () => {
    const cases: [RundeckOutcome, string, boolean][] = [
      ['succeeded', 'succeeded', true],
      ['failed', 'failed', true],
      ['aborted', 'aborted', true],
      ['timedout', 'timedout', true],
      ['failed-with-retry', 'failed', true],
      ['missed', 'missed', true],
      ['other', 'failed', true],
    ]
    const p = provider()
    for (const [status, state, final] of cases) {
      const id = sim.seed({ jobId: MULTI, options: {}, status, startedAt: T0 - 3_600_000 })
      const s = await p.status({ provider: 'rundeck', id: String(id) })
      expect([status, s.state, s.final]).toEqual([status, state, final])
      expect(s.detail.startsWith(status)).toBe(true)
    }
    sim.faults.set({ stuckQueue: true })
    const queued = await p.trigger(request(MULTI, 'staging'))
    expect(await p.status(queued)).toMatchObject({ state: 'queued', final: false })
    await p.abort(queued)
    expect(await p.status(queued)).toMatchObject({ state: 'aborted', final: true })
  })

  it('aborts a running execution; aborting a finished one is not an error', async () => {
    const p = provider()
    const ref = await p.trigger(request(MULTI, 'staging'))
    await p.abort(ref)
    expect(await p.status(ref)).toMatchObject({ state: 'aborted', final: true })
    await expect(p.abort(ref)).resolves.toBeUndefined()
  })

  it('lists running executions of the job for the requested environment only', async () => {
    const p = provider()
    const staging = await p.trigger(request(MULTI, 'staging'))
    const production = await p.trigger(request(MULTI, 'production'))
    const running = await p.running(request(MULTI, 'production'))
    expect(running.map((r) => r.id)).toEqual([production.id])
    expect(running.map((r) => r.id)).not.toContain(staging.id)
    now += 2000
    expect(await p.running(request(MULTI, 'production'))).toEqual([])
  })

  it('follows an execution aborted midway and a truncated, dirty log to the end', async () => {
    const p = provider()
    sim.faults.set({ abortMidway: true })
    const aborted = await p.trigger(request(MULTI, 'staging'))
    sim.faults.set({ abortMidway: undefined, truncateLogAfter: 1, dirtyLog: true })
    const dirty = await p.trigger(request(MULTI, 'production'))
    now += 2000
    expect(await p.status(aborted)).toMatchObject({ state: 'aborted', final: true })
    const log = await p.log(dirty, undefined)
    expect(log.complete).toBe(true)
    expect(log.lines).toHaveLength(1)
    expect(log.lines[0]).toContain('\u001b[')
    expect(log.lines[0]).toContain('<script>alert("x")</script> &amp;')
    const again = await p.log(dirty, log.cursor)
    expect(again).toEqual({ lines: [], cursor: log.cursor, complete: true })
  })

  it('turns a bad token or a forced 403 into auth-failed naming the credential, never the token', async () => {
    const bad = await failure(provider('rundeck-wrong').trigger(request(MULTI, 'staging')))
    expect(bad.code).toBe('auth-failed')
    expect(bad.message).toContain('"rundeck-wrong"')
    sim.faults.set({ forbidden: { count: 1 } })
    const forced = await failure(provider().status({ provider: 'rundeck', id: '1' }))
    expect(forced.code).toBe('auth-failed')
    expect(sim.triggerCount()).toBeGreaterThan(0)
  })

  it('reports a missing credential, an unsupported API version and an unknown job', async () => {
    expect((await failure(provider('nobody').trigger(request(MULTI, 'staging')))).code).toBe('credential-missing')
    expect(() => provider('rundeck-prod', 13)).toThrow(expect.objectContaining({ code: 'invalid-workspace' }) as Error)
    expect((await failure(provider('rundeck-prod', 51).status({ provider: 'rundeck', id: '1' }))).code).toBe(
      'invalid-workspace',
    )
    expect((await failure(provider().trigger(request('no-such-job', 'staging')))).code).toBe('not-found')
    expect((await failure(provider().trigger(request(DEPLOY, 'qa')))).code).toBe('invalid-input')
  })

  it('uses argString below API v18', async () => {
    await provider('rundeck-prod', 17).trigger(request(MULTI, 'staging', 'abcdef1'))
    expect(sim.triggers.at(-1)?.argstring).toBe('-SHA abcdef1 -ENV staging')
  })

  it('never retries a trigger on a transport error: one POST, then an error', async () => {
    const posts = () => sim.exchanges.filter((x) => x.method === 'POST' && x.path.endsWith('/run')).length
    for (const fault of [
      { reset: { count: 1, after: true } },
      { reset: { count: 1 } },
      { serverError: { count: 1, status: 502 } },
    ] as const) {
      sim.faults.set(fault)
      const before = posts()
      const error = await failure(provider().trigger(request(MULTI, 'staging')))
      expect(error.code).toBe('endpoint-unreachable')
      expect(posts()).toBe(before + 1)
    }
    sim.faults.set({ latency: { ms: 400 } })
    const slow = await failure(provider('rundeck-prod', 41, { timeoutMs: 50 }).trigger(request(MULTI, 'staging')))
    expect(slow.code).toBe('timeout')
  })

  it('reports a closed port as endpoint-unreachable and a non-JSON answer as bad-response', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => {
        const address = s.address()
        s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
      })
    })
    const refused = await failure(
      provider('rundeck-prod', 41, { url: `http://127.0.0.1:${port}` }).status({ provider: 'rundeck', id: '1' }),
    )
    expect(refused).toMatchObject({ code: 'endpoint-unreachable', details: { transport: 'ECONNREFUSED' } })
    const html = createRundeckProvider({
      endpoint: { url: sim.url },
      credential: 'rundeck-prod',
      secret: (name) => Promise.resolve(secrets[name]),
      fetch: () => Promise.resolve(new Response('<html>proxy login</html>', { status: 200 })),
    })
    expect((await failure(html.status({ provider: 'rundeck', id: '1' }))).code).toBe('bad-response')
  })
})
