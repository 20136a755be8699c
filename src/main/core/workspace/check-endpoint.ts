import type { Endpoint, EndpointCheck, EndpointCheckResult } from '../../../shared/models/workspace'
import { AppError } from '../../../shared/errors'
import type { FetchLike, HttpAnswer, HttpTarget, SecretLookup } from '../deploy/providers/http-client'
import { send, trimBase } from '../deploy/providers/http-client'

/** What testing an endpoint needs: where secrets come from when none is typed, the fetch, and how long to wait. */
export interface EndpointCheckDeps {
  secret: SecretLookup
  fetch?: FetchLike
  /** Default 5000. */
  timeoutMs?: number
}

const kindLabel: Record<Endpoint['kind'], string> = {
  rundeck: 'Rundeck',
  jenkins: 'Jenkins',
  github: 'GitHub',
  http: 'The server',
}

/** The URL as shown in messages: no user info, query or fragment (they may carry a secret). */
function shownUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '')
}

function readJson(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown
  } catch {
    return undefined
  }
}

/** A string or number at a path of a JSON value, as text; undefined for anything else. */
function field(value: unknown, ...path: string[]): string | undefined {
  let current = value
  for (const key of path)
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined
  return typeof current === 'string' || typeof current === 'number' ? String(current) : undefined
}

function refused(target: HttpTarget, answer: HttpAnswer, credential: string | undefined): AppError {
  const whose =
    credential === undefined ? 'the request without a credential' : `the secret of credential "${credential}"`
  return new AppError(
    'auth-failed',
    `${target.label} refused ${whose} (HTTP ${answer.status}); check it and its permissions.`,
    {
      status: answer.status,
    },
  )
}

/** The common translation of a non-2xx answer; callers handle their own special statuses first. */
function failed(target: HttpTarget, answer: HttpAnswer, credential: string | undefined): AppError {
  const { status } = answer
  if (status === 401 || status === 403) return refused(target, answer, credential)
  if (status === 404) return new AppError('not-found', `${target.label} answered 404; check the URL.`, { status })
  if (status >= 500)
    return new AppError('endpoint-unreachable', `${target.label} failed (HTTP ${status}); try again later.`, { status })
  return new AppError('bad-response', `${target.label} answered HTTP ${status}; check the URL.`, { status })
}

async function needSecret(
  check: EndpointCheck,
  credential: string | undefined,
  deps: EndpointCheckDeps,
): Promise<string | undefined> {
  if (check.secret !== undefined && check.secret !== '') return check.secret
  if (credential === undefined || credential === '') return undefined
  return deps.secret(credential)
}

function missing(credential: string): AppError {
  return new AppError(
    'credential-missing',
    `No secret for credential "${credential}": type it, or store it in the keychain first.`,
  )
}

async function checkRundeck(
  target: HttpTarget,
  endpoint: Extract<Endpoint, { kind: 'rundeck' }>,
  secret: string | undefined,
): Promise<string> {
  if (secret === undefined) throw missing(endpoint.credential)
  const headers = { 'x-rundeck-auth-token': secret, accept: 'application/json' }
  const api = `${trimBase(endpoint.url)}/api/${endpoint.apiVersion}`
  const answer = await send(target, `${api}/system/info`, { headers })
  if (answer.status === 400) {
    const body = readJson(answer)
    const server = answer.headers.get('x-rundeck-api-version') ?? field(body, 'apiversion')
    if ((field(body, 'errorCode') ?? '').startsWith('api.error.api-version')) {
      throw new AppError(
        'unsupported',
        `${target.label} does not accept API version ${endpoint.apiVersion}; the server's API version is ${server ?? 'unknown'}.`,
        { status: 400, serverVersion: server },
      )
    }
  }
  if (answer.status !== 200) throw failed(target, answer, endpoint.credential)
  const info = readJson(answer)
  const version = field(info, 'system', 'rundeck', 'version')
  const apiVersion = field(info, 'system', 'rundeck', 'apiversion')
  if (version === undefined)
    throw new AppError('bad-response', `${target.label} answered something that is not Rundeck's system info.`)
  let message = `Rundeck ${version}, API ${apiVersion ?? String(endpoint.apiVersion)}: token accepted`
  if (endpoint.project !== undefined && endpoint.project !== '') {
    const jobs = await send(target, `${api}/project/${encodeURIComponent(endpoint.project)}/jobs`, { headers })
    if (jobs.status === 404)
      throw new AppError('not-found', `${target.label} has no project "${endpoint.project}".`, { status: 404 })
    if (jobs.status !== 200) throw failed(target, jobs, endpoint.credential)
    message += `; project ${endpoint.project} found`
  }
  return message
}

async function checkJenkins(
  target: HttpTarget,
  endpoint: Extract<Endpoint, { kind: 'jenkins' }>,
  secret: string | undefined,
): Promise<string> {
  if (secret === undefined) throw missing(endpoint.credential)
  const basic = Buffer.from(`${endpoint.user}:${secret}`).toString('base64')
  const answer = await send(target, `${trimBase(endpoint.url)}/api/json`, {
    headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
  })
  if (answer.status !== 200) throw failed(target, answer, endpoint.credential)
  if (readJson(answer) === undefined)
    throw new AppError('bad-response', `${target.label} answered something that is not JSON.`)
  const version = answer.headers.get('x-jenkins')
  return `Jenkins${version ? ` ${version}` : ''}: user ${endpoint.user} accepted`
}

async function checkGithub(
  target: HttpTarget,
  endpoint: Extract<Endpoint, { kind: 'github' }>,
  secret: string | undefined,
): Promise<string> {
  if (endpoint.credential !== undefined && secret === undefined) throw missing(endpoint.credential)
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'user-agent': 'trainyard' }
  if (secret !== undefined) headers.authorization = `token ${secret}`
  // /rate_limit proves the token without spending any of its budget.
  const answer = await send(target, `${trimBase(endpoint.url)}/rate_limit`, { headers })
  if (answer.status !== 200) throw failed(target, answer, endpoint.credential)
  const remaining = answer.headers.get('x-ratelimit-remaining')
  const limit = answer.headers.get('x-ratelimit-limit')
  const budget = remaining !== null && limit !== null ? `; ${remaining} of ${limit} requests left` : ''
  return `GitHub: ${secret === undefined ? 'anonymous access works' : 'token accepted'}${budget}`
}

async function checkHttp(
  target: HttpTarget,
  endpoint: Extract<Endpoint, { kind: 'http' }>,
  secret: string | undefined,
): Promise<string> {
  if (endpoint.credential !== undefined && secret === undefined) throw missing(endpoint.credential)
  const headers: Record<string, string> = {}
  if (secret !== undefined) headers.authorization = `Bearer ${secret}`
  const answer = await send(target, endpoint.url, { headers })
  if (answer.status < 200 || answer.status >= 300) throw failed(target, answer, endpoint.credential)
  return `HTTP ${answer.status} from ${shownUrl(endpoint.url)}`
}

/**
 * Tries an endpoint with one cheap authenticated GET and says what it found. Never throws; never
 * stores the secret; no message carries it (the secret is also masked out defensively).
 */
export async function checkEndpoint(check: EndpointCheck, deps: EndpointCheckDeps): Promise<EndpointCheckResult> {
  const { endpoint } = check
  let secret: string | undefined
  try {
    if (!URL.canParse(endpoint.url) || !/^https?:$/.test(new URL(endpoint.url).protocol)) {
      throw new AppError('invalid-input', 'The URL must start with http:// or https://.')
    }
    const target: HttpTarget = {
      label: `${kindLabel[endpoint.kind]} at ${shownUrl(endpoint.url)}`,
      fetch: deps.fetch ?? fetch,
      timeoutMs: deps.timeoutMs ?? 5000,
    }
    // Without a typed secret the check may stop at the keychain ("no secret", "no keychain"): first make sure
    // something answers at the URL at all, so an unreachable URL is reported as unreachable (any answer will do).
    const typed = check.secret !== undefined && check.secret !== ''
    if (!typed && endpoint.credential !== undefined && endpoint.credential !== '') await send(target, endpoint.url, {})
    secret = await needSecret(check, endpoint.credential, deps)
    const message = await (() => {
      switch (endpoint.kind) {
        case 'rundeck':
          return checkRundeck(target, endpoint, secret)
        case 'jenkins':
          return checkJenkins(target, endpoint, secret)
        case 'github':
          return checkGithub(target, endpoint, secret)
        case 'http':
          return checkHttp(target, endpoint, secret)
      }
    })()
    return { ok: true, message: masked(message, secret) }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: masked(error.message, secret), code: error.code }
    return {
      ok: false,
      message: 'Testing the endpoint failed inside Trainyard; the log has the details.',
      code: 'internal',
    }
  }
}

function masked(message: string, secret: string | undefined): string {
  return secret === undefined || secret.length < 4 ? message : message.split(secret).join('•••')
}
