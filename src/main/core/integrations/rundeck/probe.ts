import { AppError } from '../../../../shared/errors'
import { parseArgstring } from './argstring'
import { RundeckClient } from './client'
import { endpointOf, fill } from '../probe-context'
import type { Probe } from '../probe-context'

/** How many succeeded executions to scan when one job deploys several environments. */
const SCAN = 50

interface ExecutionShape {
  id?: unknown
  argstring?: string | null
  'date-ended'?: { unixtime?: unknown }
  job?: { options?: Record<string, unknown> }
}

/**
 * The SHA of the newest succeeded execution of a Rundeck deploy job (A.10), optionally only those whose
 * environment option has the given value; read from `job.options`, else parsed from `argstring`.
 */
export const rundeckProbe: Probe<'rundeck'> = async (config, ctx) => {
  const endpoint = endpointOf(ctx, config.endpoint, 'rundeck')
  const client = new RundeckClient({
    endpoint,
    credential: endpoint.credential,
    secret: ctx.secret,
    fetch: ctx.fetch,
    signal: ctx.signal,
  })
  const jobId = fill(config.jobId, ctx)
  const max = config.environmentOption ? SCAN : 1
  const what = `Rundeck job ${jobId}`
  const body = await client.call(
    'GET',
    `/job/${encodeURIComponent(jobId)}/executions?status=succeeded&max=${max}`,
    `reading the succeeded executions of job ${jobId}`,
  )
  const executions = (body as { executions?: unknown } | null)?.executions
  if (!Array.isArray(executions))
    throw new AppError('bad-response', `${what}: the executions list is missing from Rundeck's answer.`)
  const ended = (e: ExecutionShape): number =>
    typeof e['date-ended']?.unixtime === 'number' ? e['date-ended'].unixtime : 0
  // Rundeck sorts newest finished first; sort again so a server that does not still gives the newest.
  const newestFirst = (executions as ExecutionShape[])
    .map((e, i) => ({ e, i }))
    .sort((a, b) => ended(b.e) - ended(a.e) || a.i - b.i)
  const wanted = config.environmentOption
  const value = wanted ? fill(wanted.value, ctx) : undefined
  for (const { e } of newestFirst) {
    const options = optionsOf(e)
    if (wanted && options[wanted.name] !== value) continue
    const sha = options[config.shaOption]
    if (!sha)
      throw new AppError('bad-response', `${what}: execution ${String(e.id)} has no option ${config.shaOption}.`)
    return { raw: sha }
  }
  const scope = wanted ? ` with ${wanted.name}=${value} among the last ${SCAN}` : ''
  throw new AppError(
    'not-found',
    `${what} has no succeeded execution${scope}; nothing has been deployed through it yet.`,
  )
}

function optionsOf(e: ExecutionShape): Record<string, string> {
  const fromJob = e.job?.options
  if (fromJob && typeof fromJob === 'object') {
    return Object.fromEntries(Object.entries(fromJob).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]))
  }
  return parseArgstring(e.argstring)
}
