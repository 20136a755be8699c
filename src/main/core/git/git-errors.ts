import { AppError } from '../../../shared/errors'
import { UNREACHABLE_CODES } from '../http/errors'

/** What a clone, fetch or push was doing when it failed: enough to say what to fix. */
export interface GitErrorContext {
  service: string
  operation: 'clone' | 'fetch' | 'push'
  url: string
  /** Name of the credential the service's repo uses, when it names one. */
  credential?: string
  /** Set by the onAuthFailure hook: the server refused the credential we offered. */
  authRefused?: boolean
  /** Set when the caller's AbortSignal fired. */
  aborted?: boolean
}

/** A URL safe to show: user-info (a token pasted into the URL) removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.toString().replace(/\/$/, '')
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//')
  }
}

/**
 * Translates an isomorphic-git or network error into an AppError a user can act on.
 * Messages never carry the server's response body or a credential's value.
 */
export function toGitAppError(error: unknown, ctx: GitErrorContext): AppError {
  if (error instanceof AppError) return error
  const url = redactUrl(ctx.url)
  const what = `${ctx.operation} of ${ctx.service}`
  if (ctx.aborted || isAbort(error)) return new AppError('cancelled', `The ${what} was cancelled.`)
  const code = errorCode(error)
  const status = httpStatus(error)
  // A 403 to a push answers who we are (or that nobody may push): the credential is not the problem to fix.
  if (ctx.operation === 'push' && status === 403 && !ctx.authRefused) {
    return new AppError(
      'forbidden',
      `The ${what}: the server refused the push: no write access to ${url}${ctx.credential !== undefined ? ` with credential ${ctx.credential}` : ''}; ask for write access to the repository.`,
      { service: ctx.service, ...(ctx.credential !== undefined ? { credential: ctx.credential } : {}) },
    )
  }
  if (ctx.authRefused || status === 401 || status === 403) {
    if (ctx.credential !== undefined) {
      return new AppError(
        'auth-failed',
        `The ${what}: credential ${ctx.credential} was refused by ${url}; set it with \`trainyard credentials set ${ctx.credential}\`.`,
        { service: ctx.service, credential: ctx.credential },
      )
    }
    return new AppError(
      'auth-failed',
      `The ${what}: ${url} asks for a credential; name one under the service's repo in the workspace file and set it with \`trainyard credentials set <name>\`.`,
      { service: ctx.service },
    )
  }
  if (status === 404) {
    return new AppError(
      'not-found',
      `The ${what}: no repository at ${url}; check the URL ${url} in the workspace file.`,
      {
        service: ctx.service,
      },
    )
  }
  if (code === 'PushRejectedError' || code === 'GitPushError') {
    return new AppError('push-rejected', `The ${what} was rejected by ${url}; fetch and retry.`, {
      service: ctx.service,
    })
  }
  if (code === 'UrlParseError' || code === 'UnknownTransportError') {
    return new AppError('invalid-workspace', `The repo URL of ${ctx.service} (${url}) is not an http(s) URL.`, {
      service: ctx.service,
    })
  }
  if (code === 'ETIMEDOUT') {
    return new AppError('timeout', `The ${what}: ${url} stopped answering; retry later.`, { service: ctx.service })
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new AppError(
      'endpoint-unreachable',
      `The ${what}: ${url} could not be reached (${code}); check the network and retry.`,
      {
        service: ctx.service,
      },
    )
  }
  if (status !== undefined) {
    return new AppError('bad-response', `The ${what}: ${url} answered HTTP ${status}.`, { service: ctx.service })
  }
  if (code === 'SmartHttpError') {
    return new AppError(
      'bad-response',
      `The ${what}: ${url} does not speak git's smart HTTP; check the URL in the workspace file.`,
      {
        service: ctx.service,
      },
    )
  }
  return new AppError(
    ctx.operation === 'push' ? 'push-rejected' : 'clone-failed',
    `The ${what} from ${url} failed; retry later.`,
    {
      service: ctx.service,
      cause: code ?? 'unknown',
    },
  )
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code
  const cause = (error as { cause?: unknown }).cause
  return cause === undefined ? undefined : errorCode(cause)
}

function httpStatus(error: unknown): number | undefined {
  if (errorCode(error) !== 'HttpError') return undefined
  const status = (error as { data?: { statusCode?: unknown } }).data?.statusCode
  return typeof status === 'number' ? status : undefined
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError'
}
