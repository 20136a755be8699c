import { AppError } from '../../../../shared/errors'
import type {
  DeployProvider,
  ProviderDeployRequest,
  ProviderLogChunk,
  ProviderRunRef,
  ProviderRunState,
  ProviderRunStatus,
} from '../../deploy/provider'
import { httpLink } from '../../http/urls'
import { environmentKeys } from '../environment-keys'
import { RundeckClient, type RundeckClientOptions } from './client'

/** How to reach one Rundeck server: the client's options (a per-request time limit of 10 s by default). */
export type RundeckProviderOptions = RundeckClientOptions

interface RundeckExecutionJson {
  id: number
  status: string
  customStatus?: string
  permalink?: string
  user?: string
  'date-started'?: { date?: string }
  'date-ended'?: { date?: string }
  job?: { id?: string; options?: Record<string, string> }
}

/** Rundeck's execution statuses → provider states (A.5); `final` says whether the execution has ended. */
const STATUSES: Record<string, { state: ProviderRunState; final: boolean }> = {
  queued: { state: 'queued', final: false },
  scheduled: { state: 'queued', final: false },
  running: { state: 'running', final: false },
  succeeded: { state: 'succeeded', final: true },
  failed: { state: 'failed', final: true },
  // This execution failed; any retry is a new execution.
  'failed-with-retry': { state: 'failed', final: true },
  aborted: { state: 'aborted', final: true },
  timedout: { state: 'timedout', final: true },
  missed: { state: 'missed', final: true },
  // A custom status set by the job: not a plain success, so it is not recorded as deployed.
  other: { state: 'failed', final: true },
}

/** A DeployProvider that runs Rundeck jobs over the JSON API (contracts doc, Part A). */
export function createRundeckProvider(options: RundeckProviderOptions): DeployProvider {
  const client = new RundeckClient({ ...options, timeoutMs: options.timeoutMs ?? 10_000 })
  const label = client.label
  const version = client.version
  const call = (method: string, path: string, what: string, body?: unknown): Promise<unknown> =>
    client.call(method, path, what, body)

  function toStatus(e: RundeckExecutionJson): ProviderRunStatus {
    const known = STATUSES[e.status]
    if (known === undefined)
      throw new AppError('bad-response', `${label} reported an unknown execution status "${e.status}".`)
    const status: ProviderRunStatus = {
      ref: refOf(e),
      state: known.state,
      detail: e.status === 'other' && e.customStatus !== undefined ? `other: ${e.customStatus}` : e.status,
      final: known.final,
    }
    const started = e['date-started']?.date
    const ended = e['date-ended']?.date
    if (started !== undefined) status.startedAt = started
    if (ended !== undefined) status.endedAt = ended
    if (e.user !== undefined) status.user = e.user
    return status
  }

  return {
    async trigger(request) {
      const job = rundeckJob(request.job, label)
      // v18+ takes an options map; older versions only an argString.
      const body = version >= 18 ? { options: job.options } : { argString: argString(job.options) }
      return refOf(
        execution(await call('POST', `/job/${encodeURIComponent(job.jobId)}/run`, `starting job ${job.jobId}`, body)),
      )
    },
    async status(ref) {
      return toStatus(execution(await call('GET', `/execution/${executionId(ref)}`, `reading execution ${ref.id}`)))
    },
    async log(ref, cursor): Promise<ProviderLogChunk> {
      const offset = cursor ?? '0'
      const out = await call(
        'GET',
        `/execution/${executionId(ref)}/output?format=json&offset=${encodeURIComponent(offset)}`,
        `tailing execution ${ref.id}`,
      )
      return outputChunk(out, offset, label)
    },
    async abort(ref) {
      const out = (await call('POST', `/execution/${executionId(ref)}/abort`, `aborting execution ${ref.id}`)) as {
        abort?: { status?: string; reason?: string }
        execution?: { status?: string }
      }
      const finished = out.execution?.status !== undefined && STATUSES[out.execution.status]?.final === true
      if (out.abort?.status === 'failed' && !finished) {
        throw new AppError(
          'deploy-failed',
          `${label} could not abort execution ${ref.id}: ${out.abort.reason ?? 'no reason given'}.`,
        )
      }
    },
    async running(request) {
      const job = rundeckJob(request.job, label)
      const project = encodeURIComponent(options.endpoint.project ?? '*')
      const out = (await call(
        'GET',
        `/project/${project}/executions/running?max=200&jobIdFilter=${encodeURIComponent(job.jobId)}`,
        `listing running executions of job ${job.jobId}`,
      )) as { executions?: unknown }
      if (!Array.isArray(out.executions))
        throw new AppError('bad-response', `${label} answered a running list without executions.`)
      const keys = environmentKeys(job.options, request.environment)
      return (
        (out.executions as RundeckExecutionJson[])
          .map((e) => execution(e))
          // Versions before 31 ignore jobIdFilter; when one job deploys several environments, keep this one's.
          .filter((e) => e.job?.id === job.jobId)
          .filter((e) => keys.every((k) => e.job?.options?.[k] === request.environment))
          .map(refOf)
      )
    },
  }

  function execution(value: unknown): RundeckExecutionJson {
    const e = value as Partial<RundeckExecutionJson> | null
    if (typeof e !== 'object' || e === null || typeof e.id !== 'number' || typeof e.status !== 'string') {
      throw new AppError('bad-response', `${label} answered something that is not an execution.`)
    }
    return e as RundeckExecutionJson
  }
}

function refOf(e: RundeckExecutionJson): ProviderRunRef {
  // The permalink becomes a link a person clicks: only http(s) passes.
  const url = httpLink(e.permalink)
  return { provider: 'rundeck', id: String(e.id), ...(url !== undefined ? { url } : {}) }
}

function executionId(ref: ProviderRunRef): string {
  if (ref.provider !== 'rundeck' || !/^\d+$/.test(ref.id)) {
    throw new AppError('invalid-input', `"${ref.id}" is not a Rundeck execution id.`)
  }
  return ref.id
}

function rundeckJob(job: ProviderDeployRequest['job'], label: string) {
  if (job.provider !== 'rundeck') throw new AppError('invalid-input', `${label} cannot run a ${job.provider} job.`)
  return job
}

function argString(options: Record<string, string>): string {
  return Object.entries(options)
    .map(
      ([name, value]) => `-${name} ${/[\s"]/.test(value) || value === '' ? `"${value.replace(/"/g, '\\"')}"` : value}`,
    )
    .join(' ')
}

/** Reads an output tail (A.8): entries may be objects or bare strings (compacted); the offset is opaque. */
function outputChunk(value: unknown, offset: string, label: string): ProviderLogChunk {
  const out = value as {
    offset?: unknown
    completed?: unknown
    execCompleted?: unknown
    entries?: unknown
    error?: unknown
  }
  if (typeof out !== 'object' || out === null)
    throw new AppError('bad-response', `${label} answered an output tail that is not an object.`)
  if (typeof out.error === 'string' && out.execCompleted === true) return { lines: [], cursor: offset, complete: true }
  const entries = Array.isArray(out.entries) ? (out.entries as unknown[]) : []
  const lines = entries
    .map((entry) => (typeof entry === 'string' ? entry : (entry as { log?: unknown } | null)?.log))
    .filter((line): line is string => typeof line === 'string')
  return {
    lines,
    cursor: typeof out.offset === 'string' || typeof out.offset === 'number' ? String(out.offset) : offset,
    complete: out.completed === true && out.execCompleted === true,
  }
}
