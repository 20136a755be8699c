import { AppError } from '../../../shared/errors'

/** What a failed exchange was about, for messages; never a secret. */
export interface ExchangeContext {
  /** What Trainyard was doing, in words: "reading execution 12". */
  doing?: string
  /** The credential whose secret was sent (its name only). */
  credential?: string
  /** What to check when the server found nothing (default: the URL). */
  notFound?: string
}

/** Node and undici error codes that mean the other end could not be reached (or went away): for every HTTP client, git's too. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
])

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
 * A failure below HTTP (no answer): `timeout`, or `endpoint-unreachable` with `details.transport` saying
 * how (ECONNREFUSED, ECONNRESET…). The request may or may not have reached the server.
 */
export function transportError(target: { label: string; timeoutMs?: number }, error: unknown): AppError {
  if (isTimeout(error)) {
    const within = target.timeoutMs !== undefined ? `within ${target.timeoutMs} ms` : 'in time'
    return new AppError('timeout', `${target.label} did not answer ${within}.`, { transport: 'timeout' })
  }
  const code = causeCode(error)
  const how =
    code === 'ECONNREFUSED'
      ? 'refused the connection'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'could not be found'
        : 'dropped the connection'
  const transport = code !== undefined && UNREACHABLE_CODES.has(code) ? code : 'network'
  const shown = transport === 'network' ? '' : ` (${transport})`
  return new AppError('endpoint-unreachable', `${target.label} ${how}${shown}; check that it is up and reachable.`, {
    transport,
  })
}

/**
 * The common meaning of a status that is not a success: 401/403 a refused credential, 404 nothing there,
 * 5xx a server that is there but failing (a trigger's fate is then unknown), anything else a bad response.
 * Integrations translate their own special statuses first (Rundeck's 409, Jenkins' crumb…), then call this.
 */
export function statusError(target: { label: string }, status: number, about: ExchangeContext = {}): AppError {
  const doing = about.doing !== undefined ? ` while ${about.doing}` : ''
  if (status === 401 || status === 403) {
    const whose =
      about.credential === undefined
        ? 'the request without a credential'
        : `the secret of credential "${about.credential}"`
    return new AppError(
      'auth-failed',
      `${target.label} refused ${whose} (HTTP ${status})${doing}; check it and its permissions.`,
      { status, ...(about.credential !== undefined ? { credential: about.credential } : {}) },
    )
  }
  if (status === 404)
    return new AppError(
      'not-found',
      `${target.label} found nothing${doing} (HTTP 404); ${about.notFound ?? 'check the URL'}.`,
      { status },
    )
  if (status >= 500)
    return new AppError('endpoint-unreachable', `${target.label} failed${doing} (HTTP ${status}); try again later.`, {
      status,
    })
  return new AppError('bad-response', `${target.label} answered HTTP ${status}${doing}.`, { status })
}
