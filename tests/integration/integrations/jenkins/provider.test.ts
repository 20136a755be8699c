import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createJenkinsProvider } from '../../../../src/main/core/integrations/jenkins/provider'
import type { ProviderDeployRequest } from '../../../../src/main/core/deploy/provider'
import {
  DEFAULT_JENKINS_TOKEN,
  DEFAULT_JENKINS_USER,
  startJenkinsSimulator,
} from '../../../../src/main/simulators/jenkins-sim'
import type { JenkinsSimulator } from '../../../../src/main/simulators/jenkins-sim'
import type { JenkinsResult } from '../../../../src/main/simulators/jenkins-model'
import { failure } from '../../../support/failure'

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0)
const SHA = '3f2a9c1d0e3f2a9c1d0e3f2a9c1d0e3f2a9c1d0e'
const JOB = 'apps/web/deploy'

let now = T0
let sim: JenkinsSimulator
let strict: JenkinsSimulator
const secrets: Record<string, string> = { jenkins: DEFAULT_JENKINS_TOKEN, 'jenkins-wrong': 'not-the-token-123' }

function provider(credential = 'jenkins', url = sim.url, timeoutMs?: number) {
  return createJenkinsProvider({
    endpoint: { url, user: DEFAULT_JENKINS_USER },
    credential,
    secret: (name) => Promise.resolve(secrets[name]),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  })
}

function request(job: string, environment: string, sha = SHA): ProviderDeployRequest {
  return {
    service: 'web',
    environment,
    sha,
    job: { provider: 'jenkins', endpoint: 'ci', job, parameters: { SHA: sha, ENV: environment } },
  }
}

const jobs = [
  {
    path: JOB,
    parameters: [{ name: 'SHA' }, { name: 'ENV' }],
    durationMs: 1000,
    quietMs: 100,
    log: ['Deploying ${SHA} to ${ENV}', 'rolling', 'done'],
  },
  { path: 'multi', parameters: [{ name: 'SHA' }, { name: 'ENV' }], durationMs: 1000, concurrent: true },
]

beforeAll(async () => {
  sim = await startJenkinsSimulator({ clock: () => now, jobs, leftItemTtlMs: 60_000 })
  strict = await startJenkinsSimulator({ clock: () => now, jobs, crumb: 'always' })
})
afterAll(async () => {
  await sim.close()
  await strict.close()
})
beforeEach(() => sim.faults.clear())

describe('Jenkins provider against the simulator', () => {
  it('triggers a folder job, follows queue item → build, tails the progressive log and ends succeeded', async () => {
    const p = provider()
    const ref = await p.trigger(request(JOB, 'production'))
    expect(ref).toMatchObject({ provider: 'jenkins', queueId: ref.id })
    expect(sim.triggers.at(-1)).toMatchObject({ job: JOB, params: { SHA, ENV: 'production' } })
    expect(await p.status(ref)).toMatchObject({
      state: 'queued',
      final: false,
      detail: expect.stringContaining('quiet period') as string,
    })
    expect(await p.log(ref, undefined)).toEqual({ lines: [], cursor: '0', complete: false })

    now += 600
    const running = await p.status(ref)
    expect(running).toMatchObject({ state: 'running', final: false, ref: { buildNumber: 1, queueId: ref.id } })
    expect(running.ref.url).toBe(`${sim.url}/job/apps/job/web/job/deploy/1/`)
    const first = await p.log(running.ref, undefined)
    expect(first.lines).toEqual(['Started by user cockpit', `Deploying ${SHA} to production`])
    expect(first.complete).toBe(false)
    now += 2000
    const rest = await p.log(running.ref, first.cursor)
    expect(rest).toMatchObject({ lines: ['rolling', 'done', 'Finished: SUCCESS'], complete: true })
    expect(await p.status(running.ref)).toMatchObject({
      state: 'succeeded',
      final: true,
      detail: 'SUCCESS',
      user: 'cockpit',
    })
  })

  it('joins an identical queued item on 303 instead of queueing again', async () => {
    const p = provider()
    const first = await p.trigger(request(JOB, 'staging'))
    const second = await p.trigger(request(JOB, 'staging'))
    expect(second.id).toBe(first.id)
    expect(sim.triggerCount(JOB)).toBe(2)
    sim.faults.set({ seeOther: { count: 1 } })
    const forced = await p.trigger(request(JOB, 'production', 'beefbeef'))
    expect(forced.id).toBe(first.id)
    expect(sim.triggerCount(JOB)).toBe(2)
    now += 2000
  })

  it('finds the build by queueId when the queue item has vanished', async () => {
    const p = provider()
    sim.faults.set({ vanishEarly: true })
    const ref = await p.trigger(request('multi', 'staging'))
    sim.faults.clear()
    const s = await p.status(ref)
    expect(s).toMatchObject({ state: 'running', ref: { queueId: ref.id } })
    expect(sim.builds('multi').find((b) => b.number === s.ref.buildNumber)?.queueId).toBe(Number(ref.id))
    now += 61_000
    const late = await p.trigger(request('multi', 'production'))
    now += 61_000
    expect(await p.status(late)).toMatchObject({ state: 'succeeded', final: true })
  })

  it('maps every result', async () => {
    const p = provider()
    const cases: [JenkinsResult, string][] = [
      ['SUCCESS', 'succeeded'],
      ['UNSTABLE', 'unstable'],
      ['FAILURE', 'failed'],
      ['ABORTED', 'aborted'],
      ['NOT_BUILT', 'not-built'],
    ]
    for (const [result, state] of cases) {
      const number = sim.seed({ job: 'multi', parameters: { SHA, ENV: 'qa' }, result, startedAt: T0 - 3_600_000 })
      const s = await p.status({
        provider: 'jenkins',
        id: String(number),
        buildNumber: number,
        url: `${sim.url}/job/multi/${number}/`,
      })
      expect([result, s.state, s.final, s.detail]).toEqual([result, state, true, result])
    }
  })

  it('stops a build, cancels a queued item, and sees a build aborted midway', async () => {
    const p = provider()
    const running = await p.trigger(request('multi', 'staging'))
    await p.abort(running)
    expect(await p.status(running)).toMatchObject({ state: 'aborted', final: true })
    sim.faults.set({ stuckQueue: true })
    const stuck = await p.trigger(request('multi', 'production'))
    expect(await p.status(stuck)).toMatchObject({ state: 'queued', detail: 'Waiting for next available executor' })
    await p.abort(stuck)
    expect(await p.status(stuck)).toMatchObject({ state: 'aborted', final: true, detail: 'cancelled in the queue' })
    expect(await p.log(stuck, undefined)).toMatchObject({ lines: [], complete: true })
    sim.faults.set({ stuckQueue: undefined, abortMidway: true })
    const midway = await p.trigger(request('multi', 'qa'))
    now += 2000
    expect(await p.status(midway)).toMatchObject({ state: 'aborted', final: true })
  })

  it('lists queued and building runs of the job for the requested environment only', async () => {
    const p = provider()
    sim.faults.set({ stuckQueue: true })
    const queued = await p.trigger(request('multi', 'production', 'aaaa1111'))
    sim.faults.clear()
    const prod = await p.trigger(request('multi', 'production'))
    await p.trigger(request('multi', 'staging'))
    const prodBuild = await p.status(prod)
    const refs = await p.running(request('multi', 'production'))
    expect(refs.map((r) => r.buildNumber ?? `q${r.id}`).sort()).toEqual(
      [prodBuild.ref.buildNumber, `q${queued.id}`].sort(),
    )
    await p.abort(queued)
    now += 2000
    expect(await p.running(request('multi', 'production'))).toEqual([])
  })

  it('passes truncated and dirty logs through verbatim and ends', async () => {
    const p = provider()
    sim.faults.set({ truncateLogAfter: 2, dirtyLog: true })
    const ref = await p.trigger(request('multi', 'staging'))
    sim.faults.clear()
    now += 2000
    const s = await p.status(ref)
    const log = await p.log(s.ref, undefined)
    expect(log.complete).toBe(true)
    expect(log.lines).toHaveLength(2)
    expect(log.lines[1]).toContain('<script>alert("x")</script> &amp;')
    expect(log.lines[1]).toContain('\u001b[1;32m')
  })

  it('fetches a crumb only when asked and retries that POST once: one build, not two', async () => {
    const p = createJenkinsProvider({
      endpoint: { url: strict.url, user: DEFAULT_JENKINS_USER },
      credential: 'jenkins',
      secret: (name) => Promise.resolve(secrets[name]),
    })
    const ref = await p.trigger(request('multi', 'staging'))
    expect(strict.triggerCount('multi')).toBe(1)
    expect(strict.exchanges.filter((x) => x.path === '/crumbIssuer/api/json')).toHaveLength(1)
    expect(strict.exchanges.filter((x) => x.method === 'POST').map((x) => x.status)).toEqual([403, 201])
    await p.abort(await p.status(ref).then((s) => s.ref))
    expect(strict.exchanges.filter((x) => x.path === '/crumbIssuer/api/json')).toHaveLength(1)
    expect(sim.exchanges.filter((x) => x.path === '/crumbIssuer/api/json')).toHaveLength(0)
  })

  it('maps 401, forced 403/409, missing credential and unknown jobs', async () => {
    const bad = await failure(provider('jenkins-wrong').trigger(request('multi', 'staging')))
    expect(bad).toMatchObject({ code: 'auth-failed', details: { status: 401 } })
    expect(bad.message).toContain('"jenkins-wrong"')
    sim.faults.set({ forbidden: { count: 1 } })
    expect((await failure(provider().trigger(request('multi', 'staging')))).code).toBe('forbidden')
    sim.faults.set({ conflict: { count: 1 } })
    expect((await failure(provider().trigger(request('multi', 'staging')))).code).toBe('deploy-failed')
    expect((await failure(provider('nobody').trigger(request('multi', 'staging')))).code).toBe('credential-missing')
    expect((await failure(provider().trigger(request('apps/nope', 'staging')))).code).toBe('not-found')
  })

  it('never retries a trigger on a transport error', async () => {
    const posts = () =>
      sim.exchanges.filter((x) => x.method === 'POST' && x.path.endsWith('/buildWithParameters')).length
    for (const fault of [
      { reset: { count: 1, after: true } },
      { reset: { count: 1 } },
      { serverError: { count: 1, status: 503 } },
    ] as const) {
      sim.faults.set(fault)
      const before = posts()
      expect((await failure(provider().trigger(request('multi', 'staging', `${before}abc`)))).code).toBe(
        'endpoint-unreachable',
      )
      expect(posts()).toBe(before + 1)
    }
    sim.faults.set({ latency: { ms: 400 } })
    expect((await failure(provider('jenkins', sim.url, 50).trigger(request('multi', 'staging')))).code).toBe('timeout')
  })

  it('hands out whole lines only when a chunk ends mid-line, and resumes from the byte cursor', async () => {
    // A real Jenkins flushes whatever the build wrote: cut the answer inside a line, as the wire may.
    const cutting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      const url = input instanceof Request ? input.url : String(input)
      if (!url.includes('progressiveText') || !url.endsWith('start=0')) return res
      const text = await res.text()
      const cut = text.indexOf('\n') + 4
      const headers = new Headers(res.headers)
      headers.set('x-text-size', String(Buffer.byteLength(text.slice(0, cut))))
      headers.set('x-more-data', 'true')
      return new Response(text.slice(0, cut), { status: res.status, headers })
    }
    const p = createJenkinsProvider({
      endpoint: { url: sim.url, user: DEFAULT_JENKINS_USER },
      credential: 'jenkins',
      secret: (name) => Promise.resolve(secrets[name]),
      fetch: cutting,
    })
    const ref = await p.trigger(request('multi', 'staging', 'c0ffee00'))
    now += 2000
    const s = await p.status(ref)
    const first = await p.log(s.ref, undefined)
    expect(first).toEqual({
      lines: ['Started by user cockpit'],
      cursor: String(Buffer.byteLength('Started by user cockpit\n')),
      complete: false,
    })
    const rest = await p.log(s.ref, first.cursor)
    expect(rest.lines[0]).toBe('[Pipeline] Start of Pipeline')
    expect(rest.lines.at(-1)).toBe('Finished: SUCCESS')
    expect(rest.complete).toBe(true)
  })
})
