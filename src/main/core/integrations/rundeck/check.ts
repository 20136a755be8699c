import { AppError } from '../../../../shared/errors'
import type { CheckContext, EndpointCheckOf } from '../check-context'
import { errorEnvelope, RundeckClient } from './client'

/** A string or number at a path of a JSON value, as text; undefined for anything else. */
function field(value: unknown, ...path: string[]): string | undefined {
  let current = value
  for (const key of path)
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined
  return typeof current === 'string' || typeof current === 'number' ? String(current) : undefined
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** `GET /system/info` proves the token and names the server's versions; a named project must list its jobs. */
export const checkRundeck: EndpointCheckOf<'rundeck'> = async (endpoint, ctx: CheckContext) => {
  const client = new RundeckClient({
    endpoint,
    credential: endpoint.credential,
    secret: () => Promise.resolve(ctx.secret),
    timeoutMs: ctx.timeoutMs,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  })
  const answer = await client.send('GET', '/system/info')
  if (answer.status === 400 && errorEnvelope(answer).errorCode?.startsWith('api.error.api-version') === true) {
    // `apiversion` in the error is the server's current version (A.1), which is what the person needs to write.
    const server = answer.headers.get('x-rundeck-api-version') ?? field(readJson(answer.text), 'apiversion')
    throw new AppError(
      'unsupported',
      `${client.label} does not accept API version ${endpoint.apiVersion}; the server's API version is ${server ?? 'unknown'}.`,
      { status: 400, serverVersion: server },
    )
  }
  if (answer.status !== 200) throw client.failure(answer, 'checking the token')
  const info = readJson(answer.text)
  const version = field(info, 'system', 'rundeck', 'version')
  const apiVersion = field(info, 'system', 'rundeck', 'apiversion')
  if (version === undefined)
    throw new AppError('bad-response', `${client.label} answered something that is not Rundeck's system info.`)
  let message = `Rundeck ${version}, API ${apiVersion ?? String(endpoint.apiVersion)}: token accepted`
  if (endpoint.project !== undefined && endpoint.project !== '') {
    const jobs = await client.send('GET', `/project/${encodeURIComponent(endpoint.project)}/jobs`)
    if (jobs.status === 404)
      throw new AppError('not-found', `${client.label} has no project "${endpoint.project}".`, { status: 404 })
    if (jobs.status !== 200) throw client.failure(jobs, `listing the jobs of project ${endpoint.project}`)
    message += `; project ${endpoint.project} found`
  }
  return message
}
