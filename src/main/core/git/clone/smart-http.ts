import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { AppError } from '../../../../shared/errors'
import { followRedirect } from '../../http/redirect-policy'
import { basicAuthorization, credentialLogin, type SecretLookup } from './auth'

/** Where a smart-HTTP exchange goes and with what it may authenticate. */
export interface SmartHttpOptions {
  /** The repo URL as the workspace gives it (user-info, if any, is used as a login and never sent elsewhere). */
  url: string
  /** The keychain credential answering the server's 401. */
  credential?: string
  secret: SecretLookup
  signal: AbortSignal
  /** A server silent this long fails the exchange with ETIMEDOUT (mapped to `timeout`). */
  idleTimeoutMs: number
}

/** An HTTP status the server answered instead of the smart-protocol response (mapped by `toGitAppError`). */
export class HttpStatusError extends Error {
  readonly code = 'HttpError'
  readonly data: { statusCode: number }

  constructor(statusCode: number) {
    super(`HTTP ${statusCode}`)
    this.data = { statusCode }
  }
}

const ADVERTISEMENT_LIMIT = 256 * 1024 * 1024
const USER_AGENT = 'git/trainyard'

/**
 * git's smart HTTP protocol (v0/v1) for fetching, on node's http: `GET info/refs?service=git-upload-pack`
 * (redirects followed under the shared policy, the final address becoming the base for what follows, as git's
 * `http.followRedirects=initial`) and `POST git-upload-pack`, whose response is streamed to the caller. A
 * credential is offered only after a 401 from the workspace's own origin, and never follows a redirect elsewhere.
 */
export class SmartHttp {
  /** Whether the server refused the credential offered (a second 401). */
  refused = false
  private base: URL
  private readonly origin: string
  private authorization: string | undefined
  // Credential headers survive a redirect chain only while the policy keeps them (same origin all the way).
  private keepsCredentials = true

  constructor(private readonly opts: SmartHttpOptions) {
    const url = new URL(opts.url)
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw Object.assign(new Error('not an http(s) URL'), { code: 'UrlParseError' })
    if (url.username || url.password)
      this.authorization = basicAuthorization(decodeURIComponent(url.username), decodeURIComponent(url.password))
    url.username = ''
    url.password = ''
    url.hash = ''
    url.search = ''
    url.pathname = url.pathname.replace(/\/+$/, '')
    this.base = url
    this.origin = url.origin
  }

  /** The ref advertisement (the whole body; it is small next to a pack). */
  async advertisement(): Promise<Buffer> {
    const suffix = '/info/refs?service=git-upload-pack'
    let url = new URL(this.base.href + suffix)
    for (let hops = 0; ; hops++) {
      const res = await this.send('GET', url)
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (status >= 300 && status < 400 && location !== undefined) {
        res.resume()
        // The policy decides whether a credential may follow, including one only looked up at a later 401.
        const next = followRedirect(url, location, { authorization: this.authorization ?? 'not yet known' }, hops)
        this.keepsCredentials &&= 'authorization' in next.headers
        url = next.url
        continue
      }
      if (status !== 200) throw drained(res, new HttpStatusError(status))
      if (!contentType(res).startsWith('application/x-git-upload-pack-advertisement'))
        throw drained(res, Object.assign(new Error('not smart HTTP'), { code: 'SmartHttpError' }))
      if (!url.href.endsWith(suffix))
        throw drained(
          res,
          new AppError(
            'bad-response',
            `The repo URL redirected to ${url.host}${url.pathname}, which is no repository.`,
          ),
        )
      this.base = new URL(url.href.slice(0, -suffix.length))
      return readAll(res, ADVERTISEMENT_LIMIT)
    }
  }

  /** Posts an upload-pack request and hands each piece of the response to `onChunk` as it arrives. */
  async uploadPack(body: Buffer, onChunk: (chunk: Buffer) => void): Promise<void> {
    const url = new URL(`${this.base.href}/git-upload-pack`)
    const res = await this.send('POST', url, body)
    const status = res.statusCode ?? 0
    if (status !== 200) throw drained(res, new HttpStatusError(status))
    if (!contentType(res).startsWith('application/x-git-upload-pack-result'))
      throw drained(res, Object.assign(new Error('not smart HTTP'), { code: 'SmartHttpError' }))
    for await (const chunk of res as AsyncIterable<Buffer>) onChunk(chunk)
  }

  private credentialHeaders(url: URL): Record<string, string> {
    return this.authorization !== undefined && this.keepsCredentials && url.origin === this.origin
      ? { authorization: this.authorization }
      : {}
  }

  // One request; a 401 from the workspace's origin is answered once with the credential; a second is a refusal.
  private async send(method: 'GET' | 'POST', url: URL, body?: Buffer): Promise<IncomingMessage> {
    for (;;) {
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...this.credentialHeaders(url) }
      if (body) {
        headers['content-type'] = 'application/x-git-upload-pack-request'
        headers.accept = 'application/x-git-upload-pack-result'
        headers['content-length'] = String(body.length)
      }
      const res = await this.raw(method, url, headers, body)
      if (res.statusCode !== 401) return res
      res.resume()
      if (url.origin !== this.origin || !this.keepsCredentials) throw this.foreignAuth(url)
      if (this.authorization !== undefined) {
        this.refused = true
        throw new HttpStatusError(401)
      }
      if (this.opts.credential === undefined) throw new HttpStatusError(401)
      const login = await credentialLogin(this.opts.credential, this.opts.secret)
      this.authorization = basicAuthorization(login.username, login.password)
    }
  }

  private foreignAuth(url: URL): AppError {
    return new AppError(
      'auth-failed',
      `${new URL(this.opts.url).host} redirected to ${url.host}, which asks for a credential; Trainyard sends a credential only to the host the workspace names.`,
    )
  }

  private raw(method: string, url: URL, headers: Record<string, string>, body?: Buffer): Promise<IncomingMessage> {
    const { signal, idleTimeoutMs } = this.opts
    signal.throwIfAborted()
    return new Promise((resolve, reject) => {
      const open = url.protocol === 'https:' ? httpsRequest : httpRequest
      const req = open(url, { method, headers, signal, agent: false }, resolve)
      req.on('error', reject)
      // A server that goes quiet (before answering or mid-pack) fails the operation instead of hanging it.
      req.setTimeout(idleTimeoutMs, () =>
        req.destroy(Object.assign(new Error(`no data for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' })),
      )
      req.end(body)
    })
  }
}

function contentType(res: IncomingMessage): string {
  return (res.headers['content-type'] ?? '').toLowerCase()
}

function drained<E>(res: IncomingMessage, error: E): E {
  res.resume()
  return error
}

async function readAll(res: IncomingMessage, limit: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      res.destroy()
      throw new AppError('bad-response', `The server's ref advertisement is larger than ${limit >> 20} MiB.`)
    }
    parts.push(chunk)
  }
  return Buffer.concat(parts)
}
