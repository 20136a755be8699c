import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { describeRequest } from './pkt-lines'

/*
 * A real git smart-HTTP server for tests: node:http in front of `git http-backend` run as a CGI,
 * serving every bare repository under `root` at `<url>/<name>.git`. Pushes are enabled (REMOTE_USER is
 * always set, which turns on receive-pack). Faults are injected in front of the backend, never by
 * changing what git answers: require a token, add latency, cut or stall an upload-pack response midway.
 */

/** One request the server answered (or cut), in order of arrival. */
export interface GitHttpRequest {
  method: string
  /** Path without the query, e.g. `/app.git/info/refs`. */
  path: string
  query: string
  /** HTTP status sent (0 when the connection was cut before any headers). */
  status: number
  /** Whether the request carried an Authorization header. */
  authorized: boolean
  /** Body bytes sent to the client. */
  bytesSent: number
  /** Whether a fault cut or stalled this response. */
  faulted: boolean
  /** For an upload-pack POST: the capabilities of its first want, and how many wants and haves it sent. */
  upload?: { capabilities: string[]; wants: number; haves: number }
}

/**
 * Rewrites applied in front of the backend, each on a whole body (test repositories are small): what the
 * client sends to upload-pack, what upload-pack answers, what the ref advertisement says.
 */
export interface GitHttpRewrites {
  uploadRequest?: (body: Buffer) => Buffer
  uploadResponse?: (body: Buffer) => Buffer
  advertisement?: (body: Buffer) => Buffer
}

/** A fault injected into upload-pack responses (the pack a clone or fetch downloads). */
export type GitHttpFault =
  /** Destroy the socket after `afterBytes` body bytes of the next `times` (default 1) upload-pack responses. */
  | { kind: 'cut-upload-pack'; afterBytes: number; times?: number }
  /** Send `afterBytes` body bytes, then hold the response open until the client goes away or the server closes. */
  | { kind: 'stall-upload-pack'; afterBytes: number; times?: number }

/** Options of a test git server. */
export interface GitHttpServerOptions {
  /** Directory whose bare repositories (`<name>.git`) are served. */
  root: string
  /** When set, every request needs HTTP basic auth with this token as password (or as username, as GitHub allows). */
  token?: string
  /** Delay before each request is handed to the backend, in milliseconds. */
  latencyMs?: number
  fault?: GitHttpFault
}

/** A running test git server. */
export interface GitHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** The clone URL of the bare repository `<root>/<name>.git`. */
  repoUrl(name: string): string
  /** Every request so far, in order. */
  readonly requests: GitHttpRequest[]
  /** Replaces the fault (undefined removes it). */
  setFault(fault: GitHttpFault | undefined): void
  /** Replaces the required token (undefined turns auth off). */
  setToken(token: string | undefined): void
  /** Replaces the rewrites (undefined removes them). */
  setRewrites(rewrites: GitHttpRewrites | undefined): void
  /** Resolves once an upload-pack response has been stalled by a `stall-upload-pack` fault. */
  stalled(): Promise<void>
  /** Stops the server, cutting any open (stalled) connection. */
  close(): Promise<void>
}

interface Fault {
  spec: GitHttpFault
  left: number
}

/** Starts a git smart-HTTP server on 127.0.0.1 at a free port. */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  let token = options.token
  let fault: Fault | undefined = options.fault && { spec: options.fault, left: options.fault.times ?? 1 }
  const requests: GitHttpRequest[] = []
  const sockets = new Set<Socket>()
  let onStall: (() => void)[] = []
  let rewrites: GitHttpRewrites = {}

  const server = createServer((req, res) => {
    const entry = logEntry(req)
    requests.push(entry)
    const delay = options.latencyMs ?? 0
    const go = (): void => {
      if (token !== undefined && !tokenMatches(req, token)) {
        entry.status = 401
        req.resume()
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="trainyard-test"', 'Content-Type': 'text/plain' })
        res.end('Authentication required\n')
        return
      }
      const armed = fault && fault.left > 0 && entry.path.endsWith('/git-upload-pack') && req.method === 'POST'
      const upload = entry.path.endsWith('/git-upload-pack') && req.method === 'POST'
      const advertising = entry.path.endsWith('/info/refs') && entry.query.includes('git-upload-pack')
      const stall = (): void => {
        for (const resolve of onStall) resolve()
        onStall = []
      }
      const rewrite = {
        ...(upload && rewrites.uploadResponse ? { response: rewrites.uploadResponse } : {}),
        ...(advertising && rewrites.advertisement ? { response: rewrites.advertisement } : {}),
      }
      if (!upload || req.headers['content-encoding'] !== undefined) {
        runBackend(options.root, req, req, res, entry, armed ? fault : undefined, stall, rewrite)
        return
      }
      // Upload-pack requests are small: read them whole to record (and maybe rewrite) what the client asked.
      readBody(req)
        .then((body) => {
          const sent = rewrites.uploadRequest ? rewrites.uploadRequest(body) : body
          if (sent.includes('want ')) entry.upload = describeRequest(sent)
          runBackend(options.root, req, sent, res, entry, armed ? fault : undefined, stall, rewrite)
        })
        .catch(() => res.destroy())
    }
    if (delay > 0) setTimeout(go, delay)
    else go()
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`

  return {
    url,
    repoUrl: (name) => `${url}/${name}.git`,
    requests,
    setFault(spec) {
      fault = spec && { spec, left: spec.times ?? 1 }
    },
    setToken(value) {
      token = value
    },
    setRewrites(value) {
      rewrites = value ?? {}
    },
    stalled: () => new Promise<void>((resolve) => onStall.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function logEntry(req: IncomingMessage): GitHttpRequest {
  const raw = req.url ?? '/'
  const q = raw.indexOf('?')
  return {
    method: req.method ?? 'GET',
    path: decodeURIComponent(q < 0 ? raw : raw.slice(0, q)),
    query: q < 0 ? '' : raw.slice(q + 1),
    status: 0,
    authorized: req.headers.authorization !== undefined,
    bytesSent: 0,
    faulted: false,
  }
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith('Basic ')) return false
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const user = colon < 0 ? decoded : decoded.slice(0, colon)
  const password = colon < 0 ? '' : decoded.slice(colon + 1)
  return password === token || (user === token && (password === '' || password === 'x-oauth-basic'))
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

function runBackend(
  root: string,
  req: IncomingMessage,
  body: IncomingMessage | Buffer,
  res: ServerResponse,
  entry: GitHttpRequest,
  fault: Fault | undefined,
  stalled: () => void,
  rewrite: { response?: (body: Buffer) => Buffer },
): void {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    // A set REMOTE_USER is what enables receive-pack (pushes) in http-backend.
    REMOTE_USER: 'tester',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: entry.method,
    PATH_INFO: entry.path,
    QUERY_STRING: entry.query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
  }
  const length = Buffer.isBuffer(body) ? String(body.length) : req.headers['content-length']
  if (length !== undefined) env.CONTENT_LENGTH = length
  const encoding = req.headers['content-encoding']
  if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding
  const protocol = req.headers['git-protocol']
  if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol

  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  if (Buffer.isBuffer(body)) child.stdin.end(body)
  else body.pipe(child.stdin)
  child.stdin.on('error', () => undefined)
  child.stderr.resume()

  let head = Buffer.alloc(0)
  let headersDone = false
  let stopped = false
  const stop = (): void => {
    stopped = true
    entry.faulted = true
    child.stdout.destroy()
    child.kill()
  }
  res.on('close', () => {
    if (!child.killed && child.exitCode === null) child.kill()
  })

  const held: Buffer[] = []
  const sendBody = (chunk: Buffer): void => {
    if (stopped) return
    if (rewrite.response) {
      held.push(chunk)
      return
    }
    // A fault counts only when it fires: git's protocol v2 sends small upload-pack requests (ls-refs) first.
    if (fault && fault.left > 0 && entry.bytesSent + chunk.length > fault.spec.afterBytes) {
      fault.left--
      const part = chunk.subarray(0, Math.max(0, fault.spec.afterBytes - entry.bytesSent))
      entry.bytesSent += part.length
      stop()
      if (fault.spec.kind === 'cut-upload-pack') {
        res.write(part, () => res.socket?.destroy())
      } else {
        res.write(part)
        stalled()
      }
      return
    }
    entry.bytesSent += chunk.length
    res.write(chunk)
  }

  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) return sendBody(chunk)
    head = Buffer.concat([head, chunk])
    const split = findHeaderEnd(head)
    if (!split) return
    headersDone = true
    const { status, headers } = parseCgiHeaders(head.subarray(0, split.at).toString('latin1'))
    if (rewrite.response) delete headers['Content-Length']
    entry.status = status
    res.writeHead(status, headers)
    const rest = head.subarray(split.at + split.length)
    if (rest.length > 0) sendBody(rest)
  })
  child.stdout.on('end', () => {
    if (stopped) return
    if (rewrite.response && headersDone) {
      const rewritten = rewrite.response(Buffer.concat(held))
      entry.bytesSent += rewritten.length
      res.write(rewritten)
    }
    if (!headersDone) {
      entry.status = 502
      res.writeHead(502, { 'Content-Type': 'text/plain' })
    }
    res.end()
  })
}

function findHeaderEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n')
  const lf = buf.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, length: 4 }
  if (lf >= 0) return { at: lf, length: 2 }
  return undefined
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200
  const headers: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500
    else headers[name] = value
  }
  return { status, headers }
}
