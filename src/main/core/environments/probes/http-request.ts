import { AppError } from '../../../../shared/errors'
import type { ProbeContext } from '../../integrations/probe-context'

/** One probe HTTP read: where, what it is called in messages, and the credential that authorises it. */
export interface ProbeRequest {
  url: string
  /** In words, e.g. "Rundeck job 7400ff98…". */
  what: string
  headers?: Record<string, string>
  /** The credential's name, for messages (its value is already in `headers`). */
  credential?: string
}

/**
 * GETs a URL for a probe and returns the body text; translates every failure into an AppError.
 * Messages show the URL without its query (which may carry a token) and never echo bodies.
 */
export async function probeGet(ctx: ProbeContext, req: ProbeRequest): Promise<string> {
  if (!URL.canParse(req.url))
    throw new AppError('invalid-workspace', `${req.what} has an invalid URL in the workspace file.`)
  const shown = displayUrl(req.url)
  let response: Response
  try {
    response = await ctx.fetch(req.url, {
      headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5', ...req.headers },
      signal: ctx.signal,
    })
  } catch (error) {
    throw transportError(ctx, req, shown, error)
  }
  let body: string
  try {
    body = await response.text()
  } catch (error) {
    throw transportError(ctx, req, shown, error)
  }
  const status = response.status
  if (status >= 200 && status < 300) return body
  const cred = req.credential ? `credential "${req.credential}"` : 'no credential (the workspace names none)'
  if (status === 401 || status === 403) {
    throw new AppError(
      'auth-failed',
      `${req.what} refused ${cred} (HTTP ${status}) at ${shown}; check the credential and its permissions.`,
      {
        status,
        credential: req.credential,
      },
    )
  }
  if (status === 404)
    throw new AppError('not-found', `${req.what} was not found at ${shown} (HTTP 404); check the workspace file.`, {
      status,
    })
  if (status >= 500)
    throw new AppError(
      'endpoint-unreachable',
      `${req.what} failed on the server (HTTP ${status}) at ${shown}; try again later.`,
      { status },
    )
  throw new AppError('bad-response', `${req.what} answered HTTP ${status} at ${shown}.`, { status })
}

/** GETs a URL and parses its body as JSON; a body that is not JSON is a bad-response. */
export async function probeGetJson(ctx: ProbeContext, req: ProbeRequest): Promise<unknown> {
  const body = await probeGet(ctx, req)
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw new AppError(
      'bad-response',
      `${req.what} did not answer JSON at ${displayUrl(req.url)} (${body.length} bytes).`,
    )
  }
}

/** A URL without query, fragment or user info. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return '(invalid URL)'
  }
}

function transportError(ctx: ProbeContext, req: ProbeRequest, shown: string, error: unknown): AppError {
  if (ctx.signal.aborted) return new AppError('timeout', `${req.what} did not answer in time at ${shown}.`)
  const cause = (error as { cause?: { code?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : ''
  return new AppError(
    'endpoint-unreachable',
    `Could not reach ${req.what} at ${shown}${code}; check the network and the endpoint URL.`,
  )
}
