import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { errorReply, route } from './github-routes'
import type { RouteReply } from './github-routes'
import { GitHubStore } from './github-store'
import type { RepoOptions, SeedPull, SimDeployment, SimRepo } from './github-store'

/*
 * A GitHub REST simulator on 127.0.0.1 for what Trainyard uses through @octokit/rest: token/Bearer
 * auth, the five x-ratelimit-* headers, per_page/page with a `link` header, repositories, pull
 * requests, Deployments and their statuses, and injectable faults (shared/contracts/deploy-apis.md C.13).
 */

/** A fault the next matching requests meet. */
export type GitHubFault =
  | { kind: 'status'; status: number; times?: number; match?: RegExp }
  | {
      kind: 'rate-limit'
      limit: 'primary' | 'secondary'
      status?: 403 | 429
      retryAfterSeconds?: number
      times?: number
      match?: RegExp
    }
  /** Destroys the connection without an answer. */
  | { kind: 'reset'; times?: number; match?: RegExp }

/** A request as the simulator saw it (never the token). */
export interface GitHubRequestRecord {
  method: string
  path: string
  query: string
  login?: string
  status: number
  body?: unknown
}

/** Options of a GitHub simulator. */
export interface GitHubSimulatorOptions {
  /** Valid tokens and the login each belongs to. */
  tokens?: Record<string, string>
  /** Requests per window before a primary rate limit (default 5000). */
  rateLimit?: number
  clock?: () => Date
  /** Delay before every answer, in ms. */
  latencyMs?: number
}

/** A running simulator. */
export interface GitHubSimulator {
  /** Base URL to give Octokit as `baseUrl`. */
  readonly url: string
  readonly store: GitHubStore
  readonly requests: GitHubRequestRecord[]
  latencyMs: number
  addRepo(owner: string, name: string, opts?: RepoOptions): SimRepo
  addPull(owner: string, name: string, pull: SeedPull): void
  /** Deployments of a repository, oldest first, with statuses oldest first. */
  deployments(owner: string, name: string): SimDeployment[]
  fail(fault: GitHubFault): void
  clearFaults(): void
  close(): Promise<void>
}

/** Starts a GitHub simulator on 127.0.0.1 with an ephemeral port. */
export async function startGitHubSimulator(options: GitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
  const clock = options.clock ?? (() => new Date())
  const tokens = new Map(Object.entries(options.tokens ?? { ghp_simulated: 'octocat' }))
  const limit = options.rateLimit ?? 5000
  const store = new GitHubStore(clock)
  const requests: GitHubRequestRecord[] = []
  const faults: { fault: GitHubFault; left: number }[] = []
  const used = new Map<string, number>()
  const sockets = new Set<Socket>()
  const windowReset = (): number => Math.floor(clock().getTime() / 1000 / 3600 + 1) * 3600

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    const method = req.method ?? 'GET'
    const rawBody = await readBody(req)
    if (sim.latencyMs > 0) await new Promise((r) => setTimeout(r, sim.latencyMs))
    const record: GitHubRequestRecord = { method, path: url.pathname, query: url.search, status: 0 }
    requests.push(record)

    const reply = (r: RouteReply, rate: Record<string, string>): void => {
      record.status = r.status
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-request-id': `SIM:${requests.length}`,
        ...rate,
        ...r.headers,
      }
      let body = r.body
      if (r.list) {
        const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30))
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
        const last = Math.max(1, Math.ceil(r.list.length / perPage))
        body = r.list.slice((page - 1) * perPage, page * perPage)
        const link = linkHeader(url, page, last, perPage)
        if (link) headers.link = link
      }
      res.writeHead(r.status, headers)
      res.end(body === undefined ? '' : JSON.stringify(body))
    }

    const fault = takeFault(faults, method, url.pathname)
    if (fault?.kind === 'reset') {
      req.socket.destroy()
      return
    }
    const auth = req.headers.authorization
    let login: string | undefined
    if (auth !== undefined) {
      const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth)
      login = m ? tokens.get(m[1] ?? '') : undefined
      if (login === undefined) return reply(errorReply(401, 'Bad credentials'), {})
    }
    if (!req.headers['user-agent']) {
      return reply(
        errorReply(
          403,
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
        ),
        {},
      )
    }
    const bucket = login ?? 'anonymous'
    const cap = login ? limit : Math.min(limit, 60)
    // GET /rate_limit reports the budget without spending it (C.3).
    const free = method === 'GET' && url.pathname === '/rate_limit'
    const count = (used.get(bucket) ?? 0) + (free ? 0 : 1)
    used.set(bucket, count)
    const rate = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(cap),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-used': String(Math.min(count, cap)),
      'x-ratelimit-reset': String(windowReset()),
      'x-ratelimit-resource': 'core',
    })
    if (fault?.kind === 'rate-limit' && fault.limit === 'secondary') {
      const r = errorReply(
        fault.status ?? 403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      )
      return reply({ ...r, headers: { 'retry-after': String(fault.retryAfterSeconds ?? 60) } }, rate(cap - count))
    }
    if ((count > cap && !free) || fault?.kind === 'rate-limit') {
      const status = fault?.kind === 'rate-limit' ? (fault.status ?? 403) : 403
      return reply(errorReply(status, `API rate limit exceeded for ${login ? `user ID 1` : '127.0.0.1'}.`), rate(0))
    }
    if (fault?.kind === 'status')
      return reply(
        errorReply(fault.status, fault.status >= 500 ? 'Server Error' : 'Simulated error'),
        rate(cap - count),
      )

    if (free) {
      const core = {
        limit: cap,
        remaining: Math.max(0, cap - count),
        used: count,
        reset: windowReset(),
        resource: 'core',
      }
      return reply({ status: 200, body: { resources: { core }, rate: core } }, rate(cap - count))
    }
    let body: unknown
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody)
      } catch {
        return reply(errorReply(400, 'Problems parsing JSON'), rate(cap - count))
      }
    }
    record.body = body
    if (url.pathname.endsWith('/') && url.pathname !== '/')
      return reply(errorReply(404, 'Not Found'), rate(cap - count))
    const base = `http://${req.headers.host ?? '127.0.0.1'}`
    const routed = route(store, { method, path: url.pathname, query: url.searchParams, body, login, base })
    reply(routed ?? errorReply(404, 'Not Found'), rate(cap - count))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      res.end('{"message":"Server Error"}')
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  const sim: GitHubSimulator = {
    url: `http://127.0.0.1:${port}`,
    store,
    requests,
    latencyMs: options.latencyMs ?? 0,
    addRepo: (owner, name, opts) => store.addRepo(owner, name, opts),
    addPull(owner, name, pull) {
      const repo = store.repo(owner, name) ?? store.addRepo(owner, name)
      repo.pulls.set(pull.number, pull)
    },
    deployments: (owner, name) => store.repo(owner, name)?.deployments ?? [],
    fail: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
  return sim
}

function takeFault(
  faults: { fault: GitHubFault; left: number }[],
  method: string,
  path: string,
): GitHubFault | undefined {
  const i = faults.findIndex((f) => !f.fault.match || f.fault.match.test(`${method} ${path}`))
  const entry = faults[i]
  if (!entry) return undefined
  entry.left -= 1
  if (entry.left <= 0) faults.splice(i, 1)
  return entry.fault
}

function linkHeader(url: URL, page: number, last: number, perPage: number): string | undefined {
  if (last <= 1) return undefined
  const at = (n: number): string => {
    const u = new URL(url)
    u.searchParams.set('per_page', String(perPage))
    u.searchParams.set('page', String(n))
    return `<${u.toString()}>`
  }
  const parts: string[] = []
  if (page > 1) parts.push(`${at(page - 1)}; rel="prev"`)
  if (page < last) parts.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`)
  if (page > 1) parts.push(`${at(1)}; rel="first"`)
  return parts.join(', ')
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
