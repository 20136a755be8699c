import { AppError } from '../../../../shared/errors'
import { statusError, transportError } from '../../http/errors'

/** What a GitHub call was about, for error messages. */
export interface GitHubCallContext {
  /** e.g. `octo-org/web`. */
  repo?: string
  /** The named credential the token came from (never its value). */
  credential?: string
  /** What we were doing, in words: "reading pull request #12". */
  doing: string
  /** Whether the caller's signal had aborted (timeouts come back from Octokit as status 500). */
  aborted?: boolean
}

interface RequestErrorShape {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
  /** What Octokit's fetch threw: the HTTP client's own AppError (transport, redirect, body limit). */
  cause?: unknown
}

/** When a rate-limited request may be retried, from `retry-after` or `x-ratelimit-reset` (C.3); undefined if not rate-limited. */
export function rateLimitRetryAt(error: unknown, now: Date): Date | undefined {
  const e = error as RequestErrorShape
  if (e.status !== 403 && e.status !== 429) return undefined
  const headers = e.response?.headers ?? {}
  const message = bodyMessage(e)
  const retryAfter = Number(headers['retry-after'])
  if (Number.isFinite(retryAfter) && headers['retry-after'] !== undefined)
    return new Date(now.getTime() + retryAfter * 1000)
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset'])
    return Number.isFinite(reset) ? new Date(reset * 1000) : new Date(now.getTime() + 60_000)
  }
  if (/rate limit/i.test(message)) return new Date(now.getTime() + 60_000)
  if (e.status === 429) return new Date(now.getTime() + 60_000)
  return undefined
}

/**
 * Translates an Octokit RequestError (or anything thrown during a GitHub call) into an AppError.
 * Messages name the credential, never its value, and never echo response bodies.
 */
export function toGitHubError(error: unknown, ctx: GitHubCallContext, now: Date = new Date()): AppError {
  if (error instanceof AppError) return error
  const e = error as RequestErrorShape
  const what = ctx.repo ? `GitHub (${ctx.repo})` : 'GitHub'
  const cred = ctx.credential ? `the token in credential "${ctx.credential}"` : 'the GitHub token'
  if (ctx.aborted || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return new AppError('timeout', `${what} did not answer in time while ${ctx.doing}.`)
  }
  if (e.cause instanceof AppError) return e.cause
  const retryAt = rateLimitRetryAt(error, now)
  if (retryAt) {
    return new AppError(
      'endpoint-unreachable',
      `${what} rate limit reached while ${ctx.doing}; retry after ${retryAt.toISOString()}.`,
      {
        status: e.status,
        retryAt: retryAt.toISOString(),
      },
    )
  }
  const status = typeof e.status === 'number' ? e.status : undefined
  const hasResponse = e.response !== undefined
  if (status === 401) {
    return new AppError(
      'auth-failed',
      `${what} rejected ${cred} (Bad credentials) while ${ctx.doing}; update it in the credentials settings.`,
      {
        status,
        credential: ctx.credential,
      },
    )
  }
  if (status === 403) {
    return new AppError(
      'forbidden',
      `${what}: ${cred} is not allowed to do this (${ctx.doing}); it needs the repo or repo_deployment scope.`,
      {
        status,
        credential: ctx.credential,
      },
    )
  }
  if (status === 404) {
    return new AppError(
      'not-found',
      `${what}: nothing found while ${ctx.doing}. Check the owner/repo in the workspace file; GitHub also answers 404 for a private repository ${cred} cannot see.`,
      { status },
    )
  }
  if (status === 409 || status === 422) {
    return new AppError(
      'bad-response',
      `${what} refused the request while ${ctx.doing}: ${bodyMessage(e) || `HTTP ${status}`}.`,
      { status },
    )
  }
  if (status !== undefined && hasResponse) return statusError({ label: what }, status, { doing: ctx.doing })
  return transportError({ label: what }, e.cause ?? error)
}

function bodyMessage(e: RequestErrorShape): string {
  const data = e.response?.data
  if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string')
    return data.message.slice(0, 200)
  return ''
}
