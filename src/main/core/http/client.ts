import { AppError } from '../../../shared/errors'
import { transportError } from './errors'
import { followRedirect } from './redirect-policy'

/** The fetch the client sends through (the global one by default): a port so tests and proxies can wrap it. */
export type FetchLike = typeof fetch

/** One MiB, for body limits. */
export const MIB = 1024 * 1024

/** Most bytes of one answer the client reads: far above any version page, API list or build, far below harm. */
export const MAX_BODY_BYTES = 8 * MIB

/** Where requests go, what they are called in messages, and how long they may take. */
export interface HttpTarget {
  /** Human label for messages, e.g. `Rundeck at http://rundeck:4440`; never holds a secret. */
  label: string
  fetch?: FetchLike
  /** Time limit of one request, its redirects and its body included. */
  timeoutMs?: number
  /** The caller's own stop (a probe's time limit, a cancel). */
  signal?: AbortSignal
}

/** One request. */
export interface HttpRequest {
  method?: string
  headers?: Record<string, string>
  body?: string
  /**
   * Follow redirects by the redirect policy. Default: for GET and HEAD only; any other method's 3xx goes
   * back to the caller (Jenkins names the queue item a build joined with a 303).
   */
  follow?: boolean
  /** Default `MAX_BODY_BYTES`; a longer answer is a `bad-response` and the rest is never read. */
  maxBodyBytes?: number
}

/** An HTTP answer, its body read (up to the limit). */
export interface HttpAnswer {
  status: number
  headers: Headers
  body: Uint8Array<ArrayBuffer>
  /** The body as UTF-8 text. */
  text: string
  /** Where the answer came from, after any redirects. */
  url: string
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * The one HTTP client of providers, probes, endpoint checks and the GitHub client. Redirects follow
 * `followRedirect` (credentials stay on their origin, https never downgrades, bounded hops); bodies are
 * read up to a limit; transport failures become `timeout` or `endpoint-unreachable`. It never repeats a
 * request: a retry is the caller's decision, and a trigger is never retried.
 */
export async function request(target: HttpTarget, url: string, req: HttpRequest = {}): Promise<HttpAnswer> {
  let method = (req.method ?? 'GET').toUpperCase()
  let body = req.body
  const follow = req.follow ?? (method === 'GET' || method === 'HEAD')
  const signal = combined(target)
  const send = target.fetch ?? fetch
  let current = new URL(url)
  let headers: Record<string, string> = { ...req.headers }
  try {
    for (let hops = 0; ; hops++) {
      const response = await send(current, {
        method,
        headers,
        redirect: 'manual',
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      })
      const location = response.headers.get('location')
      if (follow && REDIRECTS.has(response.status) && location !== null) {
        await response.body?.cancel().catch(() => undefined)
        const next = followRedirect(current, location, headers, hops)
        current = next.url
        headers = next.headers
        // As fetch does: a 303, or a 301/302 after a POST, continues as a GET without the body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET'
          body = undefined
        }
        continue
      }
      const bytes = await readBody(response, req.maxBodyBytes ?? MAX_BODY_BYTES, target.label)
      return {
        status: response.status,
        headers: response.headers,
        body: bytes,
        text: new TextDecoder().decode(bytes),
        url: current.toString(),
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    throw transportError(target, error)
  }
}

/** Parses a JSON answer, or throws `bad-response` saying what was expected. */
export function parseJson(target: Pick<HttpTarget, 'label'>, answer: HttpAnswer, what: string): unknown {
  try {
    return JSON.parse(answer.text) as unknown
  } catch {
    throw new AppError(
      'bad-response',
      `${target.label} answered ${what} with something that is not JSON (HTTP ${answer.status}, ${answer.body.length} bytes).`,
      { status: answer.status },
    )
  }
}

/**
 * A `fetch` over `request`, for libraries that take one (Octokit): the same redirect rule, body limit and
 * transport errors (thrown as AppError, which the library wraps as the cause of its own error).
 */
export function policyFetch(target: Omit<HttpTarget, 'signal'>): FetchLike {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString()
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET')
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    const body = typeof init?.body === 'string' ? init.body : undefined
    const answer = await request({ ...target, ...(init?.signal ? { signal: init.signal } : {}) }, url, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    })
    const empty = answer.status === 204 || answer.status === 205 || answer.status === 304
    return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers })
  }
}

function combined(target: HttpTarget): AbortSignal | undefined {
  const signals: AbortSignal[] = []
  if (target.signal) signals.push(target.signal)
  if (target.timeoutMs !== undefined) signals.push(AbortSignal.timeout(target.timeoutMs))
  return signals.length <= 1 ? signals[0] : AbortSignal.any(signals)
}

/** Reads at most `limit` bytes; past it, stops reading (the connection closes) and says so. */
async function readBody(response: Response, limit: number, label: string): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(label, limit)
  }
  if (!response.body) return new Uint8Array(0)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(label, limit)
    }
    parts.push(value)
  }
  return Buffer.concat(parts)
}

function tooLarge(label: string, limit: number): AppError {
  return new AppError(
    'bad-response',
    `${label} answered more than ${Math.round((limit / MIB) * 10) / 10} MiB, more than Trainyard reads of one answer; check that the URL names a version page or an API.`,
    { limitBytes: limit },
  )
}
