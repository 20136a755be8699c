import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/*
 * A loopback HTTP server for tests of what Trainyard's clients send: it records every request it
 * receives (method, path with query, headers) and lets the test answer each one, e.g. with a redirect to
 * another server, a version page, or a body that never ends.
 */

/** One request as the server received it. */
export interface RecordedRequest {
  method: string
  /** Path with the query. */
  url: string
  headers: IncomingHttpHeaders
}

/** A running recording server. */
export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Every request received so far, in order. */
  readonly requests: RecordedRequest[]
  /** Body bytes written to clients so far. */
  readonly bytesSent: () => number
  close(): Promise<void>
}

/** Answers one request; may write as much as it likes (count what it wrote with `sent`). */
export type RecordingHandler = (req: IncomingMessage, res: ServerResponse, sent: (bytes: number) => void) => void

/** Starts a recording server on 127.0.0.1 with an ephemeral port. */
export async function startRecordingServer(handle: RecordingHandler): Promise<RecordingServer> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  let sent = 0
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } })
    req.resume()
    handle(req, res, (bytes) => (sent += bytes))
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bytesSent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Answers with a redirect to `location(path)`. */
export function redirectTo(location: (path: string) => string, status = 302): RecordingHandler {
  return (req, res) => {
    res.writeHead(status, { location: location(req.url ?? '/') })
    res.end()
  }
}

/** Answers 200 with a JSON body. */
export function answerJson(body: unknown, headers: Record<string, string> = {}): RecordingHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}

/**
 * Answers 200 with an endless-looking body of `totalBytes` (chunked, no content-length), written only as
 * fast as the client reads, so `bytesSent` shows how much a client took before it stopped.
 */
export function answerHuge(totalBytes: number, contentType = 'application/json'): RecordingHandler {
  const chunk = Buffer.alloc(64 * 1024, 0x61)
  return (_req, res, sent) => {
    res.writeHead(200, { 'content-type': contentType })
    let left = totalBytes
    const pump = (): void => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
        left -= piece.length
        sent(piece.length)
        if (!res.write(piece)) {
          res.once('drain', pump)
          return
        }
      }
      res.end()
    }
    res.on('close', () => (left = 0))
    pump()
  }
}
