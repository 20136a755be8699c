import { json } from './http-server'
import type { SimResponse } from './http-server'
import { endedAt, isFinal, parseArgString, statusAt, visibleLines } from './rundeck-model'
import type { RundeckExecution, RundeckJobDef } from './rundeck-model'

/** What rendering needs to know about the server. */
export interface RundeckContext {
  base: string
  currentVersion: number
  now: number
}

/** Rundeck's `yyyy-MM-dd'T'HH:mm:ssXXX` date in GMT. */
export function w3cDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The standard error envelope (A.4), with the version header. */
export function rundeckError(ctx: RundeckContext, status: number, errorCode: string, message: string): SimResponse {
  return json(
    status,
    { error: true, apiversion: ctx.currentVersion, errorCode, message },
    { 'x-rundeck-api-version': String(ctx.currentVersion) },
  )
}

/** The `job` sub-object of an execution (A.5). */
function jobRef(ctx: RundeckContext, job: RundeckJobDef, argstring: string): Record<string, unknown> {
  const ref: Record<string, unknown> = {
    id: job.id,
    averageDuration: job.durationMs ?? 200,
    name: job.name,
    group: job.group ?? '',
    project: job.project,
    description: job.description ?? '',
  }
  // job.options is derived from argstring and absent when it is empty.
  if (argstring !== '') ref.options = parseArgString(argstring)
  ref.href = `${ctx.base}/api/${ctx.currentVersion}/job/${job.id}`
  ref.permalink = `${ctx.base}/project/${job.project}/job/show/${job.id}`
  return ref
}

/** The execution object (A.5); `id` is a number here. */
export function renderExecution(ctx: RundeckContext, e: RundeckExecution): Record<string, unknown> {
  const status = statusAt(e, ctx.now)
  const out: Record<string, unknown> = {
    id: e.id,
    href: `${ctx.base}/api/${ctx.currentVersion}/execution/${e.id}`,
    permalink: `${ctx.base}/project/${e.job.project}/execution/show/${e.id}`,
    status,
  }
  if (status === 'other') out.customStatus = e.job.customStatus ?? 'Deployed with warnings'
  out.project = e.job.project
  out.executionType = 'user'
  out.user = e.user
  out['date-started'] = { unixtime: e.submittedAt, date: w3cDate(e.submittedAt) }
  const end = endedAt(e, ctx.now)
  if (end !== undefined && isFinal(status)) out['date-ended'] = { unixtime: end, date: w3cDate(end) }
  if (status === 'aborted' && e.abortedBy !== undefined) out.abortedby = e.abortedBy
  out.job = jobRef(ctx, e.job, e.argstring)
  out.description = `deploy.sh \${option.SHA} [... ${e.lines.length} lines]`
  out.argstring = e.argstring === '' ? null : e.argstring
  if (status === 'succeeded') out.successfulNodes = ['localhost']
  if (status === 'failed' || status === 'timedout' || status === 'failed-with-retry') out.failedNodes = ['localhost']
  return out
}

/** A paged list of executions (A.5 list envelope); `max` undefined = all, echoing the default 20. */
export function renderExecutionList(
  ctx: RundeckContext,
  all: RundeckExecution[],
  offset: number,
  max: number | undefined,
): SimResponse {
  const page = max === undefined ? all.slice(offset) : all.slice(offset, offset + max)
  return json(200, {
    paging: { count: page.length, total: all.length, offset, max: max ?? 20 },
    executions: page.map((e) => renderExecution(ctx, e)),
  })
}

/** The job list entry (A.12). */
export function renderJob(ctx: RundeckContext, job: RundeckJobDef): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    group: job.group ?? '',
    project: job.project,
    description: job.description ?? '',
    href: `${ctx.base}/api/${ctx.currentVersion}/job/${job.id}`,
    permalink: `${ctx.base}/project/${job.project}/job/show/${job.id}`,
    scheduled: false,
    scheduleEnabled: true,
    enabled: true,
  }
}

function lineBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1
}

/** Output endpoint errors use their own envelope (A.8). */
export function outputError(status: number, id: string, offset: string, error: string): SimResponse {
  return json(status, { error, id, offset, completed: false })
}

/** The output tail (A.8): byte offsets as opaque string cursors, `lastmod` and `empty` variants. */
export function renderOutput(
  ctx: RundeckContext,
  e: RundeckExecution,
  query: { offset: number; lastmod?: number; maxlines?: number; apiVersion: number },
): SimResponse {
  const status = statusAt(e, ctx.now)
  const execCompleted = isFinal(status)
  const lines = visibleLines(e, ctx.now)
  const id = String(e.id)
  const totalSize = lines.reduce((sum, l) => sum + lineBytes(l.text), 0)
  const lastModified = lines.length > 0 ? (lines[lines.length - 1]?.at ?? e.submittedAt) : e.submittedAt
  const execDuration = status === 'queued' ? -1 : (endedAt(e, ctx.now) ?? ctx.now) - e.startAt
  if (lines.length === 0 && status === 'queued') {
    return json(200, {
      id,
      offset: '0',
      completed: false,
      execCompleted,
      execState: status,
      empty: true,
      message: 'Log not found',
    })
  }
  if (query.lastmod !== undefined && query.lastmod >= lastModified && query.offset >= totalSize && !execCompleted) {
    return json(200, {
      id,
      offset: String(query.offset),
      completed: false,
      execCompleted,
      execState: status,
      lastModified: String(query.lastmod),
      totalSize,
      unmodified: true,
      message: 'Unmodified',
    })
  }
  let position = 0
  const entries: Record<string, unknown>[] = []
  let next = Math.min(query.offset, totalSize)
  for (const line of lines) {
    const size = lineBytes(line.text)
    if (position >= query.offset && (query.maxlines === undefined || entries.length < query.maxlines)) {
      entries.push(renderEntry(e, line, query.apiVersion))
      next = position + size
    }
    position += size
  }
  return json(200, {
    id,
    offset: String(next),
    completed: execCompleted && next >= totalSize,
    execCompleted,
    hasFailedNodes: status === 'failed' || status === 'timedout' || status === 'failed-with-retry',
    execState: status,
    lastModified: String(lastModified),
    execDuration,
    percentLoaded: totalSize === 0 ? 100 : Math.round((next / totalSize) * 1000) / 10,
    totalSize,
    lastLinesSupported: true,
    retryBackoff: 0,
    clusterExec: false,
    compacted: false,
    entries,
  })
}

function renderEntry(e: RundeckExecution, line: { at: number; text: string; level: string }, apiVersion: number) {
  const iso = w3cDate(line.at)
  const entry: Record<string, unknown> = {
    time: iso.slice(11, 19),
    absolute_time: iso,
    level: line.level,
    log: line.text,
    user: e.user,
    node: 'localhost',
    stepctx: '1',
  }
  if (apiVersion >= 43) entry.metadata = { stepctx: '1' }
  return entry
}
