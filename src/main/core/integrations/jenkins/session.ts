import { AppError } from '../../../../shared/errors'
import { originOf, parseJson, requireSecret, send, serverError, trimBase } from '../../http/client'
import type { FetchLike, HttpAnswer, HttpTarget, SecretLookup } from '../../http/client'

/** How to reach one Jenkins server. */
export interface JenkinsProviderOptions {
  endpoint: { url: string; user: string }
  /** Name of the credential holding the user's API token. */
  credential: string
  secret: SecretLookup
  fetch?: FetchLike
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number
}

/** `job/a/job/b/` for a job named `a/b` (or already written `job/a/job/b`), each segment encoded (B.1). */
export function jobPath(job: string): string {
  const segments = job.split('/').filter((s) => s !== '')
  const names = segments[0] === 'job' ? segments.filter((_, i) => i % 2 === 1) : segments
  return names.map((name) => `job/${encodeURIComponent(decodeURIComponent(name))}/`).join('')
}

/**
 * A Jenkins HTTP session: Basic auth with the API token, and a CSRF crumb fetched only when the
 * server asks for one (403 "No valid crumb"); the refused POST was not accepted, so it is sent once more.
 */
export class JenkinsSession {
  readonly base: string
  readonly target: HttpTarget
  private crumb: { field: string; value: string; cookie?: string } | undefined

  constructor(private readonly options: JenkinsProviderOptions) {
    this.base = trimBase(options.endpoint.url)
    this.target = {
      label: `Jenkins at ${originOf(this.base)}`,
      fetch: options.fetch ?? fetch,
      timeoutMs: options.timeoutMs ?? 10_000,
    }
  }

  get label(): string {
    return this.target.label
  }

  private async headers(): Promise<Record<string, string>> {
    const token = await requireSecret(this.options.secret, this.options.credential, this.label)
    const basic = Buffer.from(`${this.options.endpoint.user}:${token}`, 'utf8').toString('base64')
    return { authorization: `Basic ${basic}`, accept: 'application/json' }
  }

  /** GET a path under the base; any 2xx is returned, anything else thrown as an AppError. */
  async get(path: string, what: string): Promise<HttpAnswer> {
    const answer = await send(this.target, `${this.base}/${path}`, { method: 'GET', headers: await this.headers() })
    if (answer.status >= 200 && answer.status < 300) return answer
    throw this.failure(answer, what)
  }

  /** GET JSON. */
  async json(path: string, what: string): Promise<unknown> {
    return parseJson(this.target, await this.get(path, what), what)
  }

  /** POST a form; returns the answer for the caller to judge (2xx and 3xx), retrying once only for a crumb refusal. */
  async post(path: string, what: string, form?: URLSearchParams): Promise<HttpAnswer> {
    let answer = await this.postOnce(path, form)
    if (answer.status === 403 && /crumb/i.test(answer.text)) {
      await this.fetchCrumb(what)
      answer = await this.postOnce(path, form)
    }
    if (answer.status >= 200 && answer.status < 400) return answer
    throw this.failure(answer, what)
  }

  private async postOnce(path: string, form: URLSearchParams | undefined): Promise<HttpAnswer> {
    const headers = await this.headers()
    if (this.crumb !== undefined) {
      headers[this.crumb.field] = this.crumb.value
      if (this.crumb.cookie !== undefined) headers.cookie = this.crumb.cookie
    }
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    return send(this.target, `${this.base}/${path}`, {
      method: 'POST',
      headers,
      ...(form !== undefined ? { body: form.toString() } : {}),
    })
  }

  private async fetchCrumb(what: string): Promise<void> {
    const answer = await send(this.target, `${this.base}/crumbIssuer/api/json`, {
      method: 'GET',
      headers: await this.headers(),
    })
    if (answer.status === 404) {
      throw new AppError('forbidden', `${this.label} asked for a CSRF crumb while ${what} but issues none.`, {
        status: 403,
      })
    }
    if (answer.status !== 200) throw this.failure(answer, 'fetching a CSRF crumb')
    const body = parseJson(this.target, answer, 'a crumb request') as { crumb?: unknown; crumbRequestField?: unknown }
    if (typeof body.crumb !== 'string' || typeof body.crumbRequestField !== 'string') {
      throw new AppError('bad-response', `${this.label} answered a crumb request without a crumb.`)
    }
    // A crumb is valid only inside the web session it was issued in (SECURITY-626): keep that session.
    const cookie = answer.headers.get('set-cookie')?.split(';')[0]
    this.crumb = { field: body.crumbRequestField, value: body.crumb, ...(cookie !== undefined ? { cookie } : {}) }
  }

  /** Jenkins error pages are HTML: branch on the status only (B.11), never echo the body. */
  failure(answer: HttpAnswer, what: string): AppError {
    const details = { status: answer.status }
    const credential = this.options.credential
    const user = this.options.endpoint.user
    switch (answer.status) {
      case 400:
        return new AppError(
          'invalid-workspace',
          `${this.label} refused ${what}: the job takes no parameters (HTTP 400).`,
          details,
        )
      case 401:
        return new AppError(
          'auth-failed',
          `${this.label} did not accept user "${user}" with the API token of credential "${credential}".`,
          details,
        )
      case 403:
        return new AppError(
          'forbidden',
          `${this.label}: user "${user}" lacks the permission for ${what} (HTTP 403).`,
          details,
        )
      case 404:
        return new AppError(
          'not-found',
          `${this.label} found nothing while ${what}: check the job name and folders.`,
          details,
        )
      case 409:
        return new AppError('deploy-failed', `${this.label}: the job is disabled or not buildable (HTTP 409).`, details)
      default:
        if (answer.status >= 500) return serverError(this.target, answer, what)
        return new AppError('bad-response', `${this.label} answered HTTP ${answer.status} while ${what}.`, details)
    }
  }
}
