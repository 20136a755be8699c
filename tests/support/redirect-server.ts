import { createServer as createHttpServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/*
 * A loopback front server for redirect tests: it records every request it receives (whether it carried a
 * credential), answers some with a redirect, and passes the rest through to a real git server behind it,
 * so a request that stays on its origin still reaches `git http-backend`.
 */

/** One request the front server received. */
export interface FrontRequest {
  method: string
  /** Path and query, as received. */
  url: string
  /** Whether it carried an Authorization header. */
  authorized: boolean
}

/** Options of a front server. */
export interface FrontServerOptions {
  /** Where to send a request: a Location to redirect to (302), or undefined to pass it through. */
  redirect: (url: string) => string | undefined
  /** The server requests are passed through to, e.g. `http://127.0.0.1:41234`; without it they get 404. */
  upstream?: string
  /** Serve https with this key and certificate instead of http. */
  tls?: { key: string; cert: string }
}

/** A running front server. */
export interface FrontServer {
  readonly url: string
  readonly requests: FrontRequest[]
  close(): Promise<void>
}

/** Starts a front server on 127.0.0.1 at a free port. */
export async function startFrontServer(options: FrontServerOptions): Promise<FrontServer> {
  const requests: FrontRequest[] = []
  const sockets = new Set<Socket>()
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/'
    requests.push({ method: req.method ?? 'GET', url, authorized: req.headers.authorization !== undefined })
    const location = options.redirect(url)
    if (location !== undefined) {
      req.resume()
      res.writeHead(302, { Location: location, 'Content-Type': 'text/plain' }).end('moved\n')
      return
    }
    if (options.upstream === undefined) {
      req.resume()
      res.writeHead(404).end()
      return
    }
    const target = new URL(url, options.upstream)
    const headers = { ...req.headers, host: target.host }
    const forward = request(target, { method: req.method ?? 'GET', headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  }
  const server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
