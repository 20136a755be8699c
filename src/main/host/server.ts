import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { eventChannels } from '../../shared/api/channels'
import type { Cockpit } from '../core/cockpit'
import {
  CONTENT_SECURITY_POLICY,
  isLoopbackRequest,
  newToken,
  requestToken,
  tokenCookie,
  tokenMatches,
} from './security'
import { serveStatic } from './static-files'

/** A running web host: the contract over HTTP + server-sent events on 127.0.0.1. */
export interface WebHost {
  /** The URL to open, token included. */
  url: string
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

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end()
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (!isLoopbackRequest(req, port) || !tokenMatches(requestToken(req, url), token)) {
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end('Forbidden: open the URL Trainyard printed, with its token.')
      return
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res)
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end()
        return
      }
      const body = await readBody(req)
      if (body === undefined) {
        res.writeHead(413).end()
        return
      }
      let input: unknown
      try {
        input = body.length === 0 ? {} : JSON.parse(body)
      } catch {
        sendJson(res, { ok: false, error: { code: 'invalid-input', message: 'The request body is not JSON.' } })
        return
      }
      sendJson(res, await cockpit.dispatch(url.pathname.slice('/api/'.length), input))
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'set-cookie': tokenCookie(token),
      'referrer-policy': 'no-referrer',
    }
    if (await serveStatic(rendererDir, url.pathname, res, headers)) return
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

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
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

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        resolve(undefined)
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(value))
}
