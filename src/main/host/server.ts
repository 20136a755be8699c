import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { eventChannels } from '../../shared/api/channels'
import type { Cockpit } from '../core/cockpit'
import {
  appScope,
  CONTENT_SECURITY_POLICY,
  isLoopbackRequest,
  newToken,
  requestToken,
  tokenCookie,
  tokenMatches,
  type AppScope,
} from './security'
import { serveStatic } from './static-files'

/** A running web host: the contract over HTTP + server-sent events on 127.0.0.1. */
export interface WebHost {
  /** The URL to open, token included: its first load sets the cookie and redirects to the app without the token. */
  url: string
  /** Where the app lives once opened, e.g. `/trainyard-41234/Xk3…/`. */
  base: string
  port: number
  token: string
  close(): Promise<void>
}

const MAX_BODY = 1 << 20

/** Starts the web host for a cockpit; serves `rendererDir` (the built renderer) and the API. */
export async function startWebHost(options: {
  cockpit: Cockpit
  rendererDir: string
  port?: number
  token?: string
}): Promise<WebHost> {
  const { cockpit, rendererDir } = options
  const token = options.token ?? newToken()
  const streams = new Set<ServerResponse>()
  let port = 0
  let scope: AppScope = { cookie: '', base: '/' }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end()
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseUrl(req.url, port)
    // `GET /%`: a malformed URL is the client's mistake, not a server error.
    if (!url) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request: malformed URL.')
    if (!isLoopbackRequest(req, port)) return forbidden(res)
    // The printed URL: its token becomes the app's cookie, and the address bar and history lose it.
    if (url.pathname === '/' && url.searchParams.has('token') && req.method === 'GET') {
      if (!tokenMatches(url.searchParams.get('token') ?? undefined, token)) return forbidden(res)
      res
        .writeHead(302, {
          location: scope.base,
          'set-cookie': tokenCookie(scope, token),
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        .end()
      return
    }
    const inApp = url.pathname.startsWith(scope.base)
    if (!tokenMatches(requestToken(req, inApp ? scope : undefined), token)) return forbidden(res)
    // Inside the app, everything; outside it only the API, for scripts that send the token as a header.
    const path = inApp ? `/${url.pathname.slice(scope.base.length)}` : url.pathname
    if (path === '/api/events' && req.method === 'GET') return openEventStream(res)
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end()
        return
      }
      const body = await readBody(req)
      if (body === undefined) {
        res
          .writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
          .end(`Request body over ${MAX_BODY} bytes.`)
        return
      }
      let input: unknown
      try {
        input = body.length === 0 ? {} : JSON.parse(body)
      } catch {
        sendJson(res, { ok: false, error: { code: 'invalid-input', message: 'The request body is not JSON.' } })
        return
      }
      sendJson(res, await cockpit.dispatch(path.slice('/api/'.length), input))
      return
    }
    if (!inApp) return forbidden(res)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' }
    if (await serveStatic(rendererDir, path, res, headers)) return
    // Client-side routes fall back to the app shell.
    if (!(await serveStatic(rendererDir, '/index.html', res, headers)))
      res.writeHead(404).end('The renderer is not built: run `npm run build`.')
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(': connected\n\n')
    streams.add(res)
    res.on('close', () => streams.delete(res))
  }

  const known = new Set<string>(eventChannels)
  const stopListening = cockpit.events.listen((event, payload) => {
    if (!known.has(event)) return
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const stream of streams) stream.write(frame)
  })
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': heartbeat\n\n')
  }, 15_000)
  heartbeat.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  scope = appScope(port)

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    base: scope.base,
    port,
    token,
    close: async () => {
      stopListening()
      clearInterval(heartbeat)
      for (const stream of streams) stream.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * The request body, or undefined past MAX_BODY: reading stops there and the rest is left for Node to discard
 * once the 413 is sent, so the client gets the answer instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
      resolve(undefined)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        req.off('data', onData)
        chunks.length = 0
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** The request's URL on this host; undefined when it cannot be parsed or its path has a malformed escape. */
function parseUrl(target: string | undefined, port: number): URL | undefined {
  try {
    // Prefixed by the origin rather than resolved against it, so `//other/x` stays a path here.
    const url = new URL(`http://127.0.0.1:${port}${target?.startsWith('/') ? target : `/${target ?? ''}`}`)
    decodeURIComponent(url.pathname)
    return url
  } catch {
    return undefined
  }
}

function forbidden(res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: open the URL Trainyard printed, with its token.')
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(value))
}
