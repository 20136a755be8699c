import { AppError } from '../../../../shared/errors'
import { requireSecret, type SecretLookup } from '../../credentials/require-secret'
import { parseJson, request, type FetchLike, type HttpAnswer, type HttpTarget } from '../../http/client'
import { statusError, type ExchangeContext } from '../../http/errors'
import { originOf, trimBase } from '../../http/urls'

/** How to reach one Jenkins server. */
export interface JenkinsProviderOptions {
  endpoint: { url: string; user: string }
  /** Name of the credential holding the user's API token. */
  credential: string
  secret: SecretLookup
  fetch?: FetchLike
  /** Per-request time limit. Default 10 s. */
  timeoutMs?: number
  /** The caller's stop (a probe's time limit). */
  signal?: AbortSignal
}

/** What a request was about, for messages: what was being done, and what to check on a 404. */
export type JenkinsAbout = Pick<ExchangeContext, 'notFound'>

/** The 404 hint of requests about a job: most often a misspelt job or folder. */
const JOB_NOT_FOUND = 'check the job name and folders'

/**
 * `job/a/job/b/` for a job whose full name is `a/b`, each name encoded as it is (a multibranch job
 * `feature%2Fx` stays that name); a job written as its URL path (`job/a/job/b`) is taken as already encoded (B.1).
 */
export function jobPath(job: string): string {
  const segments = job.split('/').filter((s) => s !== '')
  const asUrl = segments[0] === 'job'
  const names = asUrl ? segments.filter((_, i) => i % 2 === 1).map(decoded) : segments
  return names.map((name) => `job/${encodeURIComponent(name)}/`).join('')
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
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
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
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
  async get(
    path: string,
    what: string,
    about: JenkinsAbout & { maxBodyBytes?: number } = { notFound: JOB_NOT_FOUND },
  ): Promise<HttpAnswer> {
    const answer = await request(this.target, `${this.base}/${path}`, {
      headers: await this.headers(),
      ...(about.maxBodyBytes !== undefined ? { maxBodyBytes: about.maxBodyBytes } : {}),
    })
    if (answer.status >= 200 && answer.status < 300) return answer
    throw this.failure(answer, what, about, 'read')
  }

  /** GET JSON. */
  async json(path: string, what: string, about?: JenkinsAbout): Promise<unknown> {
    return parseJson(this.target, await this.get(path, what, about), what)
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
    return request(this.target, `${this.base}/${path}`, {
      method: 'POST',
      headers,
      ...(form !== undefined ? { body: form.toString() } : {}),
    })
  }

  private async fetchCrumb(what: string): Promise<void> {
    const answer = await request(this.target, `${this.base}/crumbIssuer/api/json`, { headers: await this.headers() })
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

  /**
   * Jenkins error pages are HTML: branch on the status only (B.11), never echo the body. A 403 to a read
   * means the credential may not see it (refused, as for any server); to an action, that the user lacks
   * that permission (Job/Build, Job/Cancel).
   */
  failure(
    answer: HttpAnswer,
    what: string,
    about: JenkinsAbout = { notFound: JOB_NOT_FOUND },
    kind: 'read' | 'action' = 'action',
  ): AppError {
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
          { ...details, credential },
        )
      case 403:
        if (kind === 'read') return statusError(this.target, 403, { doing: what, credential })
        return new AppError(
          'forbidden',
          `${this.label}: user "${user}" lacks the permission for ${what} (HTTP 403).`,
          details,
        )
      case 409:
        return new AppError('deploy-failed', `${this.label}: the job is disabled or not buildable (HTTP 409).`, details)
      default:
        return statusError(this.target, answer.status, { doing: what, ...about })
    }
  }
}
