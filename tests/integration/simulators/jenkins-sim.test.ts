import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_JENKINS_TOKEN,
  DEFAULT_JENKINS_USER,
  startJenkinsSimulator,
} from '../../../src/main/simulators/jenkins-sim'
import type { JenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0)
const BASIC = `Basic ${Buffer.from(`${DEFAULT_JENKINS_USER}:${DEFAULT_JENKINS_TOKEN}`).toString('base64')}`
const PASSWORD = `Basic ${Buffer.from('alice:s3cret-password').toString('base64')}`

let now = T0
let sim: JenkinsSimulator

async function call(path: string, init: RequestInit & { auth?: string | null } = {}) {
  const headers = new Headers(init.headers)
  if (init.auth !== null) headers.set('authorization', init.auth ?? BASIC)
  const res = await fetch(`${sim.url}${path}`, { ...init, headers, redirect: 'manual' })
  const text = await res.text()
  const isJson = (res.headers.get('content-type') ?? '').includes('json')
  return { status: res.status, headers: res.headers, text, body: (isJson ? JSON.parse(text) : undefined) as unknown }
}

const post = (path: string, auth?: string) => call(path, { method: 'POST', ...(auth !== undefined ? { auth } : {}) })
const queuePath = (location: string | null) => `${new URL(location ?? '').pathname}api/json`

interface QueueItem {
  _class: string
  why: string | null
  executable?: { number: number; url: string } | null
  cancelled?: boolean
}
interface Build {
  number: number
  result: string | null
  building: boolean
  queueId: number
  duration: number
  actions: { parameters?: { name: string; value: string }[] }[]
}

beforeAll(async () => {
  sim = await startJenkinsSimulator({
    clock: () => now,
    users: [
      { name: DEFAULT_JENKINS_USER, token: DEFAULT_JENKINS_TOKEN },
      { name: 'alice', token: 'alice-token-000000', password: 's3cret-password' },
    ],
    jobs: [
      {
        path: 'apps/web/deploy',
        parameters: [{ name: 'SHA' }, { name: 'ENV', choices: ['staging', 'production'] }],
        durationMs: 1000,
        quietMs: 100,
        log: ['Deploying ${SHA} to ${ENV}', 'step two'],
      },
      { path: 'plain', durationMs: 1000 },
      { path: 'fast', parameters: [{ name: 'SHA' }], durationMs: 1000, concurrent: true, result: 'UNSTABLE' },
    ],
    history: [
      {
        job: 'apps/web/deploy',
        parameters: { SHA: 'aaaa', ENV: 'production' },
        result: 'SUCCESS',
        startedAt: T0 - 60_000,
      },
      {
        job: 'apps/web/deploy',
        parameters: { SHA: 'bbbb', ENV: 'production' },
        result: 'FAILURE',
        startedAt: T0 - 30_000,
      },
    ],
  })
})
afterAll(() => sim.close())

describe('Jenkins simulator', () => {
  it('answers 401 with WWW-Authenticate for bad credentials and 403 for anonymous', async () => {
    const bad = await call('/api/json', { auth: `Basic ${Buffer.from('cockpit:nope').toString('base64')}` })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="Jenkins"')
    const anon = await call('/api/json', { auth: null })
    expect(anon.status).toBe(403)
    expect(anon.headers.get('x-you-are-authenticated-as')).toBe('anonymous')
  })

  it('exempts API-token POSTs from crumbs but not password POSTs', async () => {
    const noCrumb = await post('/job/fast/buildWithParameters?SHA=1111', PASSWORD)
    expect(noCrumb.status).toBe(403)
    expect(noCrumb.text).toContain('No valid crumb was included in the request')
    const crumb = (await call('/crumbIssuer/api/json', { auth: PASSWORD })).body as {
      crumb: string
      crumbRequestField: string
    }
    expect(crumb.crumbRequestField).toBe('Jenkins-Crumb')
    const ok = await call('/job/fast/buildWithParameters?SHA=1111', {
      method: 'POST',
      auth: PASSWORD,
      headers: { 'Jenkins-Crumb': crumb.crumb },
    })
    expect(ok.status).toBe(201)
    expect(sim.triggerCount('fast')).toBe(1)
  })

  it('queues a folder job: 201 + Location, 303 for identical params, then the build runs and succeeds', async () => {
    const r = await post('/job/apps/job/web/job/deploy/buildWithParameters?SHA=cccc&ENV=production&IGNORED=x')
    expect(r.status).toBe(201)
    expect(r.headers.get('location')).toMatch(new RegExp(`^${sim.url}/queue/item/\\d+/$`))
    const same = await post('/job/apps/job/web/job/deploy/buildWithParameters?SHA=cccc&ENV=production')
    expect(same.status).toBe(303)
    expect(same.headers.get('location')).toBe(r.headers.get('location'))
    expect(sim.triggerCount('apps/web/deploy')).toBe(1)

    const waiting = (await call(queuePath(r.headers.get('location')))).body as QueueItem
    expect(waiting._class).toBe('hudson.model.Queue$WaitingItem')
    expect(waiting.executable).toBeUndefined()
    now += 150
    const left = (await call(queuePath(r.headers.get('location')))).body as QueueItem
    expect(left).toMatchObject({ _class: 'hudson.model.Queue$LeftItem', cancelled: false, executable: { number: 3 } })

    const running = (await call('/job/apps/job/web/job/deploy/3/api/json')).body as Build
    expect(running).toMatchObject({ building: true, result: null, duration: 0 })
    expect(running.actions[0]?.parameters).toEqual([
      { _class: 'hudson.model.StringParameterValue', name: 'SHA', value: 'cccc' },
      { _class: 'hudson.model.StringParameterValue', name: 'ENV', value: 'production' },
    ])
    const log1 = await call('/job/apps/job/web/job/deploy/3/logText/progressiveText?start=0')
    expect(log1.headers.get('x-more-data')).toBe('true')
    now += 2000
    const log2 = await call(
      `/job/apps/job/web/job/deploy/3/logText/progressiveText?start=${log1.headers.get('x-text-size')}`,
    )
    expect(log2.headers.get('x-more-data')).toBeNull()
    expect(log1.text + log2.text).toBe(
      'Started by user cockpit\nDeploying cccc to production\nstep two\nFinished: SUCCESS\n',
    )
    expect(log2.headers.get('x-text-size')).toBe(String(Buffer.byteLength(log1.text + log2.text)))
  })

  it('answers tree queries with ranges and permalinks that include UNSTABLE as successful', async () => {
    const r = await call(
      '/job/apps/job/web/job/deploy/api/json?tree=builds[number,result,queueId,actions[parameters[name,value]]]{0,2}',
    )
    const body = r.body as { builds: Build[] }
    expect(body.builds.map((b) => [b.number, b.result])).toEqual([
      [3, 'SUCCESS'],
      [2, 'FAILURE'],
    ])
    expect(Object.keys(body.builds[0] ?? {}).sort()).toEqual(['_class', 'actions', 'number', 'queueId', 'result'])
    const last = await call(
      '/job/apps/job/web/job/deploy/lastSuccessfulBuild/api/json?tree=number,actions[parameters[name,value]]',
    )
    expect((last.body as Build).number).toBe(3)
    await post('/job/fast/buildWithParameters?SHA=2222')
    now += 1500
    const fast = await call('/job/fast/lastSuccessfulBuild/api/json')
    expect((fast.body as Build).result).toBe('UNSTABLE')
    expect((await call('/job/fast/lastStableBuild/api/json')).status).toBe(404)
  })

  it('rejects GET triggers (405) and non-parameterized buildWithParameters (400)', async () => {
    expect((await call('/job/fast/buildWithParameters?SHA=1')).status).toBe(405)
    expect((await post('/job/plain/buildWithParameters')).status).toBe(400)
    expect((await post('/job/plain/build')).status).toBe(201)
  })

  it('stops a build (302) which then ends ABORTED', async () => {
    const r = await post('/job/fast/buildWithParameters?SHA=3333')
    const item = (await call(queuePath(r.headers.get('location')))).body as QueueItem
    const number = item.executable?.number ?? 0
    const stop = await post(`/job/fast/${number}/stop`)
    expect(stop.status).toBe(302)
    const build = (await call(`/job/fast/${number}/api/json`)).body as Build
    expect(build).toMatchObject({ building: false, result: 'ABORTED' })
  })

  it('drops left queue items after the cache window; vanishEarly drops them at once', async () => {
    const r = await post('/job/fast/buildWithParameters?SHA=4444')
    const path = queuePath(r.headers.get('location'))
    expect((await call(path)).status).toBe(200)
    now += 5 * 60_000
    expect((await call(path)).status).toBe(404)
    sim.faults.set({ vanishEarly: true })
    const v = await post('/job/fast/buildWithParameters?SHA=5555')
    sim.faults.clear()
    expect((await call(queuePath(v.headers.get('location')))).status).toBe(404)
    const id = Number(/item\/(\d+)/.exec(v.headers.get('location') ?? '')?.[1])
    const builds = (await call('/job/fast/api/json?tree=builds[number,queueId]')).body as { builds: Build[] }
    expect(builds.builds.some((b) => b.queueId === id)).toBe(true)
  })

  it('keeps stuck items waiting with executable unset, and cancels them', async () => {
    sim.faults.set({ stuckQueue: true })
    const r = await post('/job/fast/buildWithParameters?SHA=6666')
    sim.faults.clear()
    now += 60_000
    const item = (await call(queuePath(r.headers.get('location')))).body as QueueItem
    expect(item).toMatchObject({
      _class: 'hudson.model.Queue$BuildableItem',
      why: 'Waiting for next available executor',
    })
    const id = /item\/(\d+)/.exec(r.headers.get('location') ?? '')?.[1] ?? ''
    expect((await post(`/queue/cancelItem?id=${id}`)).status).toBe(204)
    const cancelled = (await call(queuePath(r.headers.get('location')))).body as QueueItem
    expect(cancelled).toMatchObject({ cancelled: true, executable: null })
  })

  it('applies faults: forced 303/409/403, aborted midway, truncated and dirty logs', async () => {
    sim.faults.set({ seeOther: { count: 1 } })
    const before = sim.triggerCount('fast')
    expect((await post('/job/fast/buildWithParameters?SHA=7777')).status).toBe(303)
    sim.faults.set({ conflict: { count: 1 } })
    expect((await post('/job/fast/buildWithParameters?SHA=7777')).status).toBe(409)
    sim.faults.set({ forbidden: { count: 1 } })
    expect((await post('/job/fast/buildWithParameters?SHA=7777')).status).toBe(403)
    expect(sim.triggerCount('fast')).toBe(before)
    sim.faults.set({ abortMidway: true })
    await post('/job/fast/buildWithParameters?SHA=8888')
    sim.faults.set({ abortMidway: undefined, truncateLogAfter: 1, dirtyLog: true })
    await post('/job/fast/buildWithParameters?SHA=9999')
    sim.faults.clear()
    now += 5000
    const views = sim.builds('fast')
    expect(views.find((b) => b.params.SHA === '8888')?.result).toBe('ABORTED')
    const dirty = views.find((b) => b.params.SHA === '9999')
    expect(dirty?.result).toBe('UNSTABLE')
    expect(dirty?.log.split('\n').filter((l) => l !== '')).toHaveLength(1)
    expect(dirty?.log).toContain('\u001b[')
    expect(dirty?.log).toContain('<script>')
  })

  it('404s the crumb issuer when crumbs are off', async () => {
    const off = await startJenkinsSimulator({ jobs: [], crumb: 'off' })
    try {
      const r = await fetch(`${off.url}/crumbIssuer/api/json`, { headers: { authorization: BASIC } })
      expect(r.status).toBe(404)
    } finally {
      await off.close()
    }
  })
})
