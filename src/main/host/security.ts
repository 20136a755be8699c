import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A fresh random token for one web host run. */
export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

const COOKIE = 'trainyard_token'

/** The Set-Cookie value that lets the page's later requests (assets, API, SSE) carry the token. */
export function tokenCookie(token: string): string {
  return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

/** The token a request carries: header, `?token=` or the cookie set when the page was opened. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-trainyard-token']
  if (typeof header === 'string') return header
  const query = url.searchParams.get('token')
  if (query) return query
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()) ?? []
  return cookies.find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1)
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
