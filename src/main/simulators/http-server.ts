import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Faults } from './faults'

/** One request as a simulator's router sees it. */
export interface SimRequest {
  method: string
  /** Decoded-free path without the query (percent-encoding kept). */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  /** `http://host:port` as the client addressed us (what Jenkins builds `Location` from). */
  origin: string
}

/** What a simulator's router answers. */
export interface SimResponse {
  status: number
  headers?: Record<string, string>
  body?: string
}

/** One exchange, as recorded for tests; `status` 0 means the socket was destroyed. */
export interface SimExchange {
  method: string
  path: string
  query: string
  status: number
}

/** A running loopback simulator server. */
export interface SimServer {
  url: string
  port: number
  exchanges: SimExchange[]
  close(): Promise<void>
}

/** How to start a simulator server. */
export interface SimServerOptions {
  faults: Faults
  handle: (request: SimRequest) => SimResponse
  /** The body of a forced 5xx, in the simulator's own format. */
  serverErrorBody: (status: number) => SimResponse
  host?: string
  port?: number
}

/** A JSON response. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8', ...headers },
    body: JSON.stringify(value),
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Starts an HTTP server on loopback that applies transport faults, then routes to `handle`. */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const exchanges: SimExchange[] = []
  const { faults } = options

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const raw = req.url ?? '/'
    const q = raw.indexOf('?')
    const path = q < 0 ? raw : raw.slice(0, q)
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))
    const record: SimExchange = { method, path, query: q < 0 ? '' : raw.slice(q + 1), status: 0 }
    exchanges.push(record)
    const body = await readBody(req)
    const delay = faults.latencyFor(method, path)
    if (delay > 0) await sleep(delay)
    await faults.holdFor(method, path)
    const reset = faults.take('reset', method, path)
    if (reset !== undefined && reset.after !== true) {
      req.socket.destroy()
      return
    }
    const failure = faults.take('serverError', method, path)
    const origin = `http://${req.headers.host ?? `127.0.0.1:${port}`}`
    const response =
      failure !== undefined
        ? options.serverErrorBody(failure.status ?? 500)
        : options.handle({ method, path, query, headers: req.headers, body, origin })
    if (reset !== undefined) {
      req.socket.destroy()
      return
    }
    record.status = response.status
    res.writeHead(response.status, response.headers)
    res.end(response.body ?? '')
  }

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
