import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/*
 * A "what version am I running" endpoint per service × environment on 127.0.0.1, the way real apps
 * answer (deploy-apis.md Part D.1): JSON at /{service}/{environment}/version.json shaped like Spring
 * Boot's /actuator/info plus a home-grown `sha`, and text at /{service}/{environment}/version.
 * Tests and the demo set the SHA each cell runs (in process, or `PUT …/version` with `{"sha"}`),
 * list them at `GET /`, and inject faults per cell.
 */

/** A fault a cell answers with until cleared. */
export type VersionFault =
  | { kind: 'status'; status: number }
  /** A body that is neither the JSON nor the text shape. */
  | { kind: 'malformed' }
  /** Never answers (until the client gives up or the server closes). */
  | { kind: 'hang' }
  | { kind: 'latency'; ms: number }

/** Options of the version endpoint. */
export interface VersionEndpointOptions {
  /** When set, requests need `authorization: Bearer <token>` (401 otherwise). */
  token?: string
  /** Fixed port (default 0: any free one), so a demo keeps its URLs across restarts. */
  port?: number
  /** Time a cell's SHA was set, reported as `git.commit.time`. */
  clock?: () => Date
}

/** A running version endpoint. */
export interface VersionEndpoint {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string
  /** Sets what a cell runs; `version` is a free label such as a release tag. */
  set(service: string, environment: string, sha: string, version?: string): void
  /** Removes a cell (it then answers 404). */
  unset(service: string, environment: string): void
  /** The URL of a cell's JSON or text variant. */
  urlFor(service: string, environment: string, format: 'json' | 'text'): string
  fault(service: string, environment: string, fault: VersionFault | undefined): void
  /** Requests served so far, and the most that were in flight at once. */
  readonly stats: { requests: number; inFlight: number; maxInFlight: number }
  close(): Promise<void>
}

/** Starts a version endpoint on 127.0.0.1 with an ephemeral port. */
export async function startVersionEndpoint(options: VersionEndpointOptions = {}): Promise<VersionEndpoint> {
  const cells = new Map<string, { sha: string; version: string; since: string }>()
  const faults = new Map<string, VersionFault>()
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0 }
  const sockets = new Set<Socket>()
  const key = (service: string, environment: string): string => `${service}/${environment}`
  const setCell = (service: string, environment: string, sha: string, version?: string): void =>
    void cells.set(key(service, environment), {
      sha,
      version: version ?? sha.slice(0, 7),
      since: (options.clock ?? (() => new Date()))().toISOString(),
    })

  const server = createServer((req, res) => {
    stats.requests++
    stats.inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    res.on('close', () => stats.inFlight--)
    const send = (status: number, type: string, body: string): void => {
      if (res.destroyed) return
      res.writeHead(status, { 'content-type': type })
      res.end(body)
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const m = /^\/([^/]+)\/([^/]+)\/(version\.json|version)$/.exec(path)
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return send(401, 'application/json', '{"status":"unauthorized"}')
    }
    if (path === '/' && req.method === 'GET') {
      const list = [...cells].map(([id, cell]) => ({
        cell: id,
        sha: cell.sha,
        version: cell.version,
        since: cell.since,
      }))
      return send(200, 'application/json', JSON.stringify({ cells: list }))
    }
    if (!m) return send(404, 'text/plain', 'not found\n')
    const service = decodeURIComponent(m[1] ?? '')
    const environment = decodeURIComponent(m[2] ?? '')
    const id = key(service, environment)
    if (req.method === 'PUT') {
      // A deploy script (or the demo's simulated deploy jobs) reports what now runs.
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        let body: { sha?: unknown; version?: unknown } | undefined
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sha?: unknown; version?: unknown }
        } catch {
          body = undefined
        }
        if (typeof body?.sha !== 'string' || !/^[0-9a-f]{7,40}$/.test(body.sha))
          return send(400, 'text/plain', 'send {"sha": "<hex>"}\n')
        setCell(service, environment, body.sha, typeof body.version === 'string' ? body.version : undefined)
        send(204, 'text/plain', '')
      })
      return
    }
    const json = m[3] === 'version.json'
    const answer = (): void => {
      const fault = faults.get(id)
      if (fault?.kind === 'status') return send(fault.status, 'text/plain', `error ${fault.status}\n`)
      if (fault?.kind === 'malformed')
        return send(200, json ? 'application/json' : 'text/plain', json ? '{"status":"ok", "git": {' : 'starting up…\n')
      const cell = cells.get(id)
      if (!cell) return send(404, 'text/plain', 'not found\n')
      if (json) {
        const body = {
          status: 'ok',
          version: cell.version,
          sha: cell.sha,
          git: { branch: 'main', commit: { id: cell.sha.slice(0, 7), time: cell.since } },
        }
        return send(200, 'application/json', JSON.stringify(body))
      }
      send(200, 'text/plain', `${id}\nversion: ${cell.version}\nrevision: ${cell.sha}\n`)
    }
    const fault = faults.get(id)
    if (fault?.kind === 'hang') return
    if (fault?.kind === 'latency') setTimeout(answer, fault.ms)
    else answer()
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    stats,
    set: (service, environment, sha, version) =>
      void cells.set(key(service, environment), {
        sha,
        version: version ?? sha.slice(0, 7),
        since: new Date().toISOString(),
      }),
    unset: (service, environment) => void cells.delete(key(service, environment)),
    urlFor: (service, environment, format) =>
      `${url}/${encodeURIComponent(service)}/${encodeURIComponent(environment)}/${format === 'json' ? 'version.json' : 'version'}`,
    fault: (service, environment, fault) => {
      if (fault) faults.set(key(service, environment), fault)
      else faults.delete(key(service, environment))
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
