import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A proxy in front of a deploy tool that loses one answer. */
export interface CuttingProxy {
  url: string
  /** Requests (`METHOD path`) whose answer was cut after the tool handled them. */
  cut: string[]
  close(): Promise<void>
}

/**
 * An HTTP proxy to `target` that forwards everything, but for the first request matching `cutWhen` it lets the tool
 * handle the request and then drops the connection instead of answering: a trigger that reached the provider and whose
 * answer was lost, the case Trainyard must mark `unknown` and never retry.
 */
export async function startCuttingProxy(
  target: string,
  cutWhen: (req: IncomingMessage) => boolean,
): Promise<CuttingProxy> {
  const cut: string[] = []
  const upstream = new URL(target)
  const server: Server = createServer((req, res) => {
    const cutThis = cut.length === 0 && cutWhen(req)
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        if (cutThis) {
          cut.push(`${req.method ?? ''} ${req.url ?? ''}`)
          answer.resume()
          res.socket?.destroy()
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.socket?.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
