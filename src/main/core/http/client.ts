import { AppError } from '../../../shared/errors'

/** The fetch a provider uses (the global one by default; a port so tests and proxies can wrap it). */
export type FetchLike = typeof fetch

/** A secret lookup by credential name. */
export type SecretLookup = (name: string) => Promise<string | undefined>

/** Where a provider's requests go and how long they may take. */
export interface HttpTarget {
  /** Human label for messages, e.g. `Rundeck at http://rundeck:4440`; never holds a secret. */
  label: string
  fetch: FetchLike
  timeoutMs: number
}

/** An HTTP answer read whole. */
export interface HttpAnswer {
  status: number
  headers: Headers
  text: string
}

const TRANSPORT_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]

function causeCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name
  return name === 'TimeoutError' || name === 'AbortError' || causeCode(error) === 'UND_ERR_HEADERS_TIMEOUT'
}

/**
 * Sends one request and reads the whole answer. Transport failures become `timeout` or
 * `endpoint-unreachable` (details `{ transport }` say which); the request is never repeated here.
 */
export async function send(target: HttpTarget, url: string, init: RequestInit): Promise<HttpAnswer> {
  let response: Response
  try {
    response = await target.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(target.timeoutMs) })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text }
  } catch (error) {
    if (isTimeout(error)) {
      throw new AppError('timeout', `${target.label} did not answer within ${target.timeoutMs} ms.`, {
        transport: 'timeout',
      })
    }
    const code = causeCode(error)
    const how =
      code === 'ECONNREFUSED'
        ? 'refused the connection'
        : code === 'ENOTFOUND'
          ? 'could not be found'
          : 'dropped the connection'
    throw new AppError('endpoint-unreachable', `${target.label} ${how}; check that it is up and reachable.`, {
      transport: code !== undefined && TRANSPORT_CODES.includes(code) ? code : 'network',
    })
  }
}

/** Parses a JSON answer or throws `bad-response`. */
export function parseJson(target: HttpTarget, answer: HttpAnswer, what: string): unknown {
  try {
    return JSON.parse(answer.text) as unknown
  } catch {
    throw new AppError(
      'bad-response',
      `${target.label} answered ${what} with something that is not JSON (HTTP ${answer.status}).`,
      {
        status: answer.status,
      },
    )
  }
}

/** Looks a credential up; a missing one is `credential-missing`, naming the credential only. */
export async function requireSecret(secret: SecretLookup, credential: string, label: string): Promise<string> {
  const value = await secret(credential)
  if (value === undefined || value === '') {
    throw new AppError(
      'credential-missing',
      `No secret is stored for credential "${credential}" used by ${label}; set it in Settings → Credentials.`,
      {
        credential,
      },
    )
  }
  return value
}

/** A server error (5xx): the endpoint is there but not working; a trigger's fate is then unknown. */
export function serverError(target: HttpTarget, answer: HttpAnswer, what: string): AppError {
  return new AppError(
    'endpoint-unreachable',
    `${target.label} failed while ${what} (HTTP ${answer.status}); try again later.`,
    {
      status: answer.status,
    },
  )
}

/** The `{base}` of an endpoint URL without a trailing slash. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '')
}

/** The origin of a URL for messages (no path, query or user info). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'an invalid URL'
  }
}

/**
 * The options of a job config that name the environment (their value equals it), used to tell one
 * environment's runs from another's when one job deploys several.
 */
export function environmentKeys(values: Record<string, string>, environment: string): string[] {
  return Object.entries(values)
    .filter(([, value]) => value === environment)
    .map(([name]) => name)
}
