import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_RUNDECK_TOKEN, startRundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0)
const DEPLOY = '7400ff98-31c4-4834-ba3d-aee9646e867f'
const PARALLEL = 'b1b1b1b1-0000-4000-8000-000000000002'

let now = T0
let sim: RundeckSimulator

interface Exec {
  id: number
  status: string
  argstring: string | null
  job: { id: string; options?: Record<string, string> }
  'date-ended'?: unknown
}
interface ExecList {
  paging: { count: number; total: number; offset: number; max: number }
  executions: Exec[]
}

async function call(path: string, init: RequestInit & { token?: string | null } = {}) {
  const headers = new Headers(init.headers)
  if (init.token !== null) headers.set('X-Rundeck-Auth-Token', init.token ?? DEFAULT_RUNDECK_TOKEN)
  const res = await fetch(`${sim.url}${path}`, { ...init, headers })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as unknown }
}

function run(jobId: string, options: Record<string, string>) {
  return call(`/api/45/job/${jobId}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ options }),
  })
}

beforeAll(async () => {
  sim = await startRundeckSimulator({
    clock: () => now,
    jobs: [
      {
        id: DEPLOY,
        name: 'deploy',
        group: 'web/prod',
        project: 'web',
        durationMs: 1000,
        options: [
          { name: 'SHA', required: true, regex: '^[0-9a-f]{7,40}$' },
          { name: 'ENV', value: 'production', values: ['staging', 'production'], enforced: true },
        ],
        log: ['deploying ${option.SHA} to ${option.ENV}', 'step two', 'step three'],
      },
      { id: PARALLEL, name: 'smoke', project: 'web', allowConcurrent: true, durationMs: 1000, outcome: 'failed' },
    ],
    history: [
      { jobId: DEPLOY, options: { SHA: 'aaaaaaa1', ENV: 'staging' }, status: 'succeeded', startedAt: T0 - 90_000 },
      { jobId: DEPLOY, options: { SHA: 'bbbbbbb2', ENV: 'production' }, status: 'succeeded', startedAt: T0 - 60_000 },
      { jobId: DEPLOY, options: { SHA: 'ccccccc3', ENV: 'production' }, status: 'failed', startedAt: T0 - 30_000 },
    ],
  })
})
afterAll(() => sim.close())

describe('Rundeck simulator', () => {
  it('rejects unsupported API versions with the 400 envelope naming the current version', async () => {
    const r = await call('/api/99/system/info')
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ error: true, apiversion: 50, errorCode: 'api.error.api-version.unsupported' })
    expect((r.body as { message: string }).message).toContain('Current version: 50')
    const low = await call('/api/13/system/info')
    expect((low.body as { message: string }).message).toContain('Minimum supported version: 14')
  })

  it('answers 403 `unauthorized` with the masked token, and the query token wins over the header', async () => {
    const bad = await call(`/api/45/job/${DEPLOY}/executions`, { token: 'WRONGTOKEN123' })
    expect(bad.status).toBe(403)
    expect(bad.body).toMatchObject({
      errorCode: 'unauthorized',
      message: `(Token:WRONG****) is not authorized for: /api/45/job/${DEPLOY}/executions`,
    })
    const none = await call('/api/45/system/info', { token: null })
    expect((none.body as { message: string }).message).toMatch(/^\(unauthenticated\)/)
    const query = await call(`/api/45/system/info?authtoken=${DEFAULT_RUNDECK_TOKEN}`, { token: 'WRONGTOKEN123' })
    expect(query.status).toBe(200)
  })

  it('lists succeeded executions newest first with options parsed from the argstring', async () => {
    const r = await call(`/api/45/job/${DEPLOY}/executions?status=succeeded&max=1`)
    const list = r.body as ExecList
    expect(list.paging).toEqual({ count: 1, total: 2, offset: 0, max: 1 })
    expect(list.executions[0]?.job.options).toEqual({ SHA: 'bbbbbbb2', ENV: 'production' })
  })

  it('validates options with 400 options-invalid', async () => {
    const r = await run(DEPLOY, { SHA: 'not-a-sha' })
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ errorCode: 'api.error.job.options-invalid' })
  })

  it('runs a job: 200 with the running execution, 409 while it runs, tails output, ends succeeded', async () => {
    const r = await run(DEPLOY, { SHA: 'ddddddd4' })
    expect(r.status).toBe(200)
    const e = r.body as Exec
    expect(e).toMatchObject({ status: 'running', argstring: '-SHA ddddddd4 -ENV production' })
    expect(e['date-ended']).toBeUndefined()
    expect(typeof e.id).toBe('number')
    const again = await run(DEPLOY, { SHA: 'eeeeeee5' })
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({ errorCode: 'api.error.execution.conflict' })
    expect(sim.triggerCount(DEPLOY)).toBe(1)

    const running = await call(`/api/45/project/web/executions/running?jobIdFilter=${DEPLOY}`)
    expect((running.body as ExecList).executions.map((x) => x.id)).toEqual([e.id])

    now += 300
    const first = (await call(`/api/45/execution/${e.id}/output?offset=0`)).body as {
      id: string
      offset: string
      completed: boolean
      execCompleted: boolean
      entries: { log: string }[]
    }
    expect(first).toMatchObject({ id: String(e.id), completed: false, execCompleted: false })
    expect(first.entries.map((x) => x.log)).toEqual(['deploying ddddddd4 to production'])
    now += 1000
    const rest = (await call(`/api/45/execution/${e.id}/output?offset=${first.offset}`)).body as typeof first
    expect(rest.entries.map((x) => x.log)).toEqual(['step two', 'step three'])
    expect(rest).toMatchObject({ completed: true, execCompleted: true, execState: 'succeeded' })
    const info = (await call(`/api/45/execution/${e.id}`)).body as Exec
    expect(info.status).toBe('succeeded')
    expect(info['date-ended']).toBeDefined()
  })

  it('aborts with a string id in the response, and a finished run cannot be aborted', async () => {
    const e = (await run(PARALLEL, {})).body as Exec
    const a = await call(`/api/45/execution/${e.id}/abort`, { method: 'POST' })
    expect(a.body).toMatchObject({ abort: { status: 'pending' }, execution: { id: String(e.id), status: 'running' } })
    const after = (await call(`/api/45/execution/${e.id}`)).body as Exec
    expect(after.status).toBe('aborted')
    const again = await call(`/api/45/execution/${e.id}/abort`)
    expect(again.body).toMatchObject({
      abort: { status: 'failed', reason: 'Job is not running' },
      execution: { status: 'aborted' },
    })
  })

  it('applies request faults: 5xx, reset, forced 403 and 409', async () => {
    sim.faults.set({ serverError: { count: 1, status: 503 } })
    expect((await fetch(`${sim.url}/api/45/system/info`)).status).toBe(503)
    sim.faults.set({ reset: { count: 1 } })
    await expect(call('/api/45/system/info')).rejects.toThrow()
    sim.faults.set({ forbidden: { count: 1, match: '/system/info' } })
    expect((await call('/api/45/system/info')).status).toBe(403)
    expect((await call('/api/45/system/info')).status).toBe(200)
    sim.faults.set({ conflict: { count: 1 } })
    const before = sim.triggerCount()
    expect((await run(PARALLEL, {})).status).toBe(409)
    expect(sim.triggerCount()).toBe(before)
  })

  it('reset-after records the trigger although the client sees a dropped connection', async () => {
    const before = sim.triggerCount(PARALLEL)
    sim.faults.set({ reset: { count: 1, after: true, match: '/run' } })
    await expect(run(PARALLEL, {})).rejects.toThrow()
    expect(sim.triggerCount(PARALLEL)).toBe(before + 1)
  })

  it('shapes runs: stuck queue, abort midway, truncated and dirty logs', async () => {
    sim.faults.set({ stuckQueue: true })
    const q = (await run(PARALLEL, {})).body as Exec
    sim.faults.set({ stuckQueue: undefined, abortMidway: true })
    const a = (await run(PARALLEL, {})).body as Exec
    sim.faults.set({ abortMidway: undefined, truncateLogAfter: 1, dirtyLog: true })
    const t = (await run(PARALLEL, {})).body as Exec
    sim.faults.clear()
    now += 5000
    const view = (id: number) => sim.executions().find((x) => x.id === id)
    expect(view(q.id)?.status).toBe('queued')
    expect(view(a.id)?.status).toBe('aborted')
    expect(view(t.id)?.status).toBe('failed')
    expect(view(t.id)?.log).toHaveLength(1)
    expect(view(t.id)?.log[0]).toContain('\u001b[')
    expect(view(t.id)?.log[0]).toContain('<script>')
    const out = (await call(`/api/45/execution/${q.id}/output`)).body
    expect(out).toMatchObject({ empty: true, offset: '0', execState: 'queued' })
  })

  it('serves the Unmodified variant for lastmod, caps maxlines and rejects a bad offset in the output envelope', async () => {
    const e = (await run(PARALLEL, {})).body as Exec
    now += 400
    const first = (await call(`/api/45/execution/${e.id}/output?offset=0&maxlines=1`)).body as {
      offset: string
      lastModified: string
      entries: unknown[]
    }
    expect(first.entries).toHaveLength(1)
    const all = (await call(`/api/45/execution/${e.id}/output?offset=0`)).body as typeof first
    const same = await call(`/api/45/execution/${e.id}/output?offset=${all.offset}&lastmod=${all.lastModified}`)
    expect(same.body).toMatchObject({ unmodified: true, message: 'Unmodified', offset: all.offset })
    const bad = await call(`/api/45/execution/${e.id}/output?offset=-3`)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error: expect.any(String) as string, id: String(e.id), completed: false })
    now += 2000
  })
})
