import { json } from './http-server'
import type { SimRequest, SimResponse } from './http-server'
import {
  endedAt,
  isFinal,
  parseArgString,
  planExecution,
  renderArgString,
  resolveOptions,
  statusAt,
} from './rundeck-model'
import type { RundeckExecution, RundeckJobDef } from './rundeck-model'
import {
  outputError,
  renderExecution,
  renderExecutionList,
  renderJob,
  renderOutput,
  rundeckError,
} from './rundeck-render'
import type { RundeckContext } from './rundeck-render'
import type { RundeckState } from './rundeck-sim'

function mask(token: string): string {
  return `(Token:${token.slice(0, 5)}****)`
}

function intParam(query: URLSearchParams, name: string): number | undefined | 'bad' {
  const raw = query.get(name)
  if (raw === null || raw === '') return undefined
  return /^\d+$/.test(raw) ? Number(raw) : 'bad'
}

/** Routes one request to the Rundeck API (A.1–A.13). */
export function routeRundeck(state: RundeckState, req: SimRequest): SimResponse {
  const now = state.clock()
  const ctx: RundeckContext = { base: req.origin, currentVersion: state.currentVersion, now }
  const m = /^\/api\/([^/]*)(\/.*)?$/.exec(req.path)
  if (m === null) return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' }
  const rawVersion = m[1] ?? ''
  const rest = m[2] ?? '/'
  if (!/^\d+$/.test(rawVersion)) {
    return rundeckError(ctx, 400, 'api.error.api-version.required', 'API Version was not specified in the request URL')
  }
  const version = Number(rawVersion)
  if (version < state.minVersion || version > state.currentVersion) {
    const reason =
      version > state.currentVersion
        ? `Current version: ${state.currentVersion}`
        : `Minimum supported version: ${state.minVersion}`
    return rundeckError(
      ctx,
      400,
      'api.error.api-version.unsupported',
      `Unsupported API Version "${rawVersion}". API Request: ${req.path}. Reason: ${reason}`,
    )
  }
  // The query parameter wins over the header (SetUserInterceptor: params.authtoken ?: header).
  const token = req.query.get('authtoken') ?? headerValue(req.headers['x-rundeck-auth-token'])
  const user = token === undefined ? undefined : state.tokens[token]
  const forced = state.faults.take('forbidden', req.method, req.path)
  if (user === undefined || forced !== undefined) {
    const who = token === undefined ? '(unauthenticated)' : mask(token)
    return rundeckError(ctx, 403, 'unauthorized', `${who} is not authorized for: ${req.path}`)
  }
  return routeApi(state, ctx, req, rest, version, user)
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function routeApi(
  state: RundeckState,
  ctx: RundeckContext,
  req: SimRequest,
  rest: string,
  version: number,
  user: string,
): SimResponse {
  const parts = rest
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p))
  const [head, id, action, extra] = parts
  const get = req.method === 'GET'
  if (head === 'job' && id !== undefined && extra === undefined) {
    const job = state.jobs.get(id)
    if (job === undefined) return rundeckError(ctx, 404, 'api.error.item.doesnotexist', `Job ID does not exist: ${id}`)
    if ((action === 'run' || action === 'executions') && req.method === 'POST')
      return runJob(state, ctx, req, job, version, user)
    if (action === 'executions' && get) return jobExecutions(state, ctx, req, job)
    if (action === 'info' && get) return json(200, { ...renderJob(ctx, job), averageDuration: job.durationMs ?? 200 })
    if (action === undefined && get) return json(200, [jobDefinition(job)])
  }
  if (head === 'execution' && id !== undefined && extra === undefined) {
    const execution = /^\d+$/.test(id) ? state.executions.find((e) => e.id === Number(id)) : undefined
    if (execution === undefined) {
      return rundeckError(ctx, 404, 'api.error.item.doesnotexist', `Execution ID does not exist: ${id}`)
    }
    if (action === undefined && get) return json(200, renderExecution(ctx, execution))
    if ((action === 'output' || action === 'output.json') && get) return output(ctx, req, execution, version)
    if (action === 'abort' && (get || req.method === 'POST')) return abort(ctx, execution, user)
  }
  if (head === 'project' && id !== undefined) {
    const projects = new Set([...state.jobs.values()].map((j) => j.project))
    if (id !== '*' && !id.split(',').every((p) => projects.has(p))) {
      return rundeckError(ctx, 404, 'api.error.item.doesnotexist', `Project does not exist: ${id}`)
    }
    if (action === 'executions' && extra === 'running' && get) return running(state, ctx, req, id, version)
    if (action === 'jobs' && extra === undefined && get) {
      return json(
        200,
        [...state.jobs.values()].filter((j) => j.project === id).map((j) => renderJob(ctx, j)),
      )
    }
  }
  if (head === 'system' && id === 'info' && get) {
    return json(200, { system: { rundeck: { version: '5.7.0', apiversion: state.currentVersion, node: 'sim' } } })
  }
  return rundeckError(ctx, 404, 'api.error.item.doesnotexist', `Resource does not exist: ${req.path}`)
}

function jobDefinition(job: RundeckJobDef): Record<string, unknown> {
  return {
    id: job.id,
    uuid: job.id,
    name: job.name,
    group: job.group ?? '',
    description: job.description ?? '',
    loglevel: 'INFO',
    multipleExecutions: job.allowConcurrent === true,
    options: job.options ?? [],
    sequence: { keepgoing: false, strategy: 'node-first', commands: [{ exec: 'deploy.sh ${option.SHA}' }] },
  }
}

function requestedOptions(req: SimRequest, version: number): Record<string, string> | 'bad' {
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/json') && req.body.trim() !== '') {
    let body: unknown
    try {
      body = JSON.parse(req.body)
    } catch {
      return 'bad'
    }
    if (typeof body !== 'object' || body === null) return 'bad'
    const b = body as { options?: unknown; argString?: unknown }
    if (version >= 18 && typeof b.options === 'object' && b.options !== null) {
      return Object.fromEntries(Object.entries(b.options).map(([k, v]) => [k, String(v)]))
    }
    return typeof b.argString === 'string' ? parseArgString(b.argString) : {}
  }
  const form = type.includes('application/x-www-form-urlencoded') ? new URLSearchParams(req.body) : req.query
  const options = parseArgString(form.get('argString') ?? '')
  if (version >= 18) for (const [k, v] of form) if (k.startsWith('option.')) options[k.slice(7)] = v
  return options
}

function runJob(
  state: RundeckState,
  ctx: RundeckContext,
  req: SimRequest,
  job: RundeckJobDef,
  version: number,
  user: string,
): SimResponse {
  const given = requestedOptions(req, version)
  if (given === 'bad')
    return rundeckError(ctx, 400, 'api.error.invalid.request', 'Invalid API Request: the JSON body could not be parsed')
  const resolved = resolveOptions(job, given)
  if ('error' in resolved)
    return rundeckError(ctx, 400, 'api.error.job.options-invalid', `Job options were not valid: ${resolved.error}`)
  const forced = state.faults.take('conflict', req.method, req.path)
  if (forced !== undefined || (job.allowConcurrent !== true && isBusy(state, job))) {
    return rundeckError(
      ctx,
      409,
      'api.error.execution.conflict',
      `Execution had a conflict: Job "${job.name}" {{Job ${job.id}}}: Limit of running executions has been reached.`,
    )
  }
  const argstring = renderArgString(resolved.options)
  const execution = planExecution({
    id: state.nextId(),
    job,
    options: resolved.options,
    argstring,
    user,
    now: ctx.now,
    outcome: state.pickOutcome(job),
    shape: state.faults.runShape(),
  })
  state.executions.push(execution)
  state.triggers.push({ jobId: job.id, executionId: execution.id, options: resolved.options, argstring, at: ctx.now })
  return json(200, renderExecution(ctx, execution))
}

/** Newest finished first (dateCompleted DESC, dateStarted DESC); unfinished ones (null end) first. */
function byRundeckOrder(now: number) {
  return (a: RundeckExecution, b: RundeckExecution): number => {
    const ea = endedAt(a, now) ?? Infinity
    const eb = endedAt(b, now) ?? Infinity
    if (ea !== eb) return eb - ea
    if (a.submittedAt !== b.submittedAt) return b.submittedAt - a.submittedAt
    return b.id - a.id
  }
}

/** Whether a job has a run that blocks a new one (queued or running). */
function isBusy(state: RundeckState, job: RundeckJobDef): boolean {
  return state.executions.some((e) => e.job.id === job.id && !isFinal(statusAt(e, state.clock())))
}

function jobExecutions(state: RundeckState, ctx: RundeckContext, req: SimRequest, job: RundeckJobDef): SimResponse {
  const max = intParam(req.query, 'max')
  const offset = intParam(req.query, 'offset')
  if (max === 'bad' || offset === 'bad')
    return rundeckError(ctx, 400, 'api.error.parameter.invalid', 'The value for parameter "max/offset" is not valid')
  const filter = req.query.get('status') ?? ''
  const all = state.executions
    .filter((e) => e.job.id === job.id && (filter === '' || filter === statusAt(e, ctx.now)))
    .sort(byRundeckOrder(ctx.now))
  return renderExecutionList(ctx, all, offset ?? 0, max)
}

function running(
  state: RundeckState,
  ctx: RundeckContext,
  req: SimRequest,
  project: string,
  version: number,
): SimResponse {
  const max = intParam(req.query, 'max')
  const offset = intParam(req.query, 'offset')
  if (max === 'bad' || offset === 'bad')
    return rundeckError(ctx, 400, 'api.error.parameter.invalid', 'The value for parameter "max/offset" is not valid')
  const jobIdFilter = version >= 31 ? (req.query.get('jobIdFilter') ?? '') : ''
  const projects = project === '*' ? undefined : new Set(project.split(','))
  const all = state.executions
    .filter((e) => !isFinal(statusAt(e, ctx.now)))
    .filter((e) => projects === undefined || projects.has(e.job.project))
    .filter((e) => jobIdFilter === '' || e.job.id === jobIdFilter)
    .sort((a, b) => b.submittedAt - a.submittedAt || b.id - a.id)
  return renderExecutionList(ctx, all, offset ?? 0, max ?? 20)
}

function output(ctx: RundeckContext, req: SimRequest, execution: RundeckExecution, version: number): SimResponse {
  const id = String(execution.id)
  const rawOffset = req.query.get('offset') ?? '0'
  if (!/^\d+$/.test(rawOffset)) return outputError(400, id, rawOffset, `Invalid offset: ${rawOffset}`)
  const rawLastmod = req.query.get('lastmod')
  if (rawLastmod !== null && !/^\d+$/.test(rawLastmod))
    return outputError(400, id, rawOffset, `Invalid lastmod: ${rawLastmod}`)
  const maxlines = intParam(req.query, 'maxlines')
  return renderOutput(ctx, execution, {
    offset: Number(rawOffset),
    apiVersion: version,
    ...(rawLastmod !== null ? { lastmod: Number(rawLastmod) } : {}),
    ...(typeof maxlines === 'number' ? { maxlines } : {}),
  })
}

function abort(ctx: RundeckContext, execution: RundeckExecution, user: string): SimResponse {
  const before = statusAt(execution, ctx.now)
  const ref = (status: string) => ({
    id: String(execution.id),
    status,
    href: `${ctx.base}/api/${ctx.currentVersion}/execution/${execution.id}`,
    permalink: `${ctx.base}/project/${execution.job.project}/execution/show/${execution.id}`,
  })
  if (isFinal(before))
    return json(200, { abort: { status: 'failed', reason: 'Job is not running' }, execution: ref(before) })
  execution.abortedAt = ctx.now
  execution.abortedBy = user
  // A queued execution has no thread to interrupt: it is marked aborted at once; a running one gets an interrupt.
  if (before === 'queued') return json(200, { abort: { status: 'aborted' }, execution: ref('aborted') })
  return json(200, { abort: { status: 'pending' }, execution: ref('running') })
}
