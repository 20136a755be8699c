import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A fresh random token for one web host run. */
export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/**
 * Where the app lives on one host, and the cookie that carries its token there. Browsers send a cookie to every
 * port of a host, so the name (`trainyard-<port>`) keeps two hosts from overwriting each other's, and the path
 * (`/trainyard-<port>/<random>/`) keeps it from every other server on 127.0.0.1, which never asks for that path.
 */
export interface AppScope {
  cookie: string
  /** The app's base path, with its trailing slash. */
  base: string
}

/** A fresh scope for a host listening on `port`. */
export function appScope(port: number): AppScope {
  const cookie = `trainyard-${port}`
  return { cookie, base: `/${cookie}/${randomBytes(9).toString('base64url')}/` }
}

/** The Set-Cookie value that lets the page's later requests (assets, API, SSE) carry the token, and only them. */
export function tokenCookie(scope: AppScope, token: string): string {
  return `${scope.cookie}=${token}; HttpOnly; SameSite=Strict; Path=${scope.base}`
}

/**
 * The token a request carries: the `x-trainyard-token` header (scripts, tests), or the scope's cookie when the
 * request is inside the app. A `?token=` is never taken here: only the printed URL's first load accepts it.
 */
export function requestToken(req: IncomingMessage, scope: AppScope | undefined): string | undefined {
  const header = req.headers['x-trainyard-token']
  if (typeof header === 'string') return header
  if (!scope) return undefined
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()) ?? []
  return cookies.find((c) => c.startsWith(`${scope.cookie}=`))?.slice(scope.cookie.length + 1)
}

/** Constant-time token comparison. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Whether Host (and Origin, when sent) name this loopback server: a guard against DNS rebinding and cross-site calls. */
export function isLoopbackRequest(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host
  if (!host || !isLoopbackAuthority(host, port)) return false
  const origin = req.headers.origin
  if (origin === undefined) return true
  try {
    const parsed = new URL(origin)
    return parsed.protocol === 'http:' && isLoopbackAuthority(parsed.host, port)
  } catch {
    return false
  }
}

function isLoopbackAuthority(authority: string, port: number): boolean {
  const at = authority.lastIndexOf(':')
  if (at < 0) return false
  return LOOPBACK_HOSTS.has(authority.slice(0, at)) && authority.slice(at + 1) === String(port)
}

/** The Content-Security-Policy of the renderer, the same as the Electron shell's. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')
