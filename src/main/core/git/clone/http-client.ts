import { request as httpRequest } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git'
import { followRedirect } from '../../http/redirect-policy'

/**
 * The HTTP client isomorphic-git talks through (pushes), bound to one operation's AbortSignal.
 *
 * isomorphic-git's `fetch` and `clone` take no signal, and its node client can lose a stream error;
 * this client aborts the socket when `signal` fires (so a running download stops) and surfaces every
 * stream error through the body's async iterator.
 */
export function abortableHttp(signal?: AbortSignal, idleTimeoutMs = 60_000): HttpClient {
  return { request: (req) => send(req, signal, idleTimeoutMs, 0) }
}

async function send(
  req: GitHttpRequest,
  signal: AbortSignal | undefined,
  idleMs: number,
  redirects: number,
): Promise<GitHttpResponse> {
  signal?.throwIfAborted()
  const method = req.method ?? 'GET'
  const payload = req.body ? await collect(req.body) : undefined
  const headers: Record<string, string> = { ...req.headers }
  if (payload) headers['content-length'] = String(payload.length)
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const open = req.url.startsWith('https:') ? httpsRequest : httpRequest
    const outgoing = open(req.url, { method, headers, ...(signal ? { signal } : {}) }, resolve)
    outgoing.on('error', reject)
    // A server that goes quiet (before answering or mid-pack) fails the operation instead of hanging it.
    outgoing.setTimeout(idleMs, () =>
      outgoing.destroy(Object.assign(new Error(`no data for ${idleMs} ms`), { code: 'ETIMEDOUT' })),
    )
    outgoing.end(payload)
  })
  const status = res.statusCode ?? 0
  const location = res.headers.location
  if (status >= 300 && status < 400 && location !== undefined && method === 'GET') {
    res.resume()
    // The shared policy: credentials never follow to another origin, https never downgrades, hops are bounded.
    const next = followRedirect(req.url, location, req.headers ?? {}, redirects)
    return send({ ...req, url: next.url.toString(), headers: next.headers }, signal, idleMs, redirects + 1)
  }
  return {
    url: req.url,
    method,
    statusCode: status,
    statusMessage: res.statusMessage ?? '',
    headers: flatHeaders(res.headers),
    body: res[Symbol.asyncIterator]() as AsyncIterableIterator<Uint8Array>,
  }
}

async function collect(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of body) parts.push(part)
  return Buffer.concat(parts)
}

function flatHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
