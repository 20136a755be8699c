import { AppError } from '../../../../shared/errors'
import type { Endpoint } from '../../../../shared/models/workspace'
import { requireSecret, type SecretLookup } from '../../credentials/require-secret'
import { parseJson, request, type FetchLike, type HttpAnswer, type HttpTarget } from '../../http/client'
import { statusError } from '../../http/errors'
import { originOf, trimBase } from '../../http/urls'

/** API version used when the workspace does not say (Rundeck 4.14 and later accept it). */
export const DEFAULT_API_VERSION = 45

/** How to reach one Rundeck server. */
export interface RundeckClientOptions {
  endpoint: Pick<Extract<Endpoint, { kind: 'rundeck' }>, 'url'> & { apiVersion?: number; project?: string }
  /** Name of the credential holding the API token. */
  credential: string
  secret: SecretLookup
  fetch?: FetchLike
  /** Per-request time limit. */
  timeoutMs?: number
  /** The caller's stop (a probe's time limit). */
  signal?: AbortSignal
}

/**
 * Rundeck's JSON API (contracts doc, Part A) with the token in `X-Rundeck-Auth-Token`, over the one HTTP
 * client. Error envelopes are read for their `errorCode` only: a 403's message quotes part of the token.
 */
export class RundeckClient {
  readonly label: string
  readonly version: number
  readonly base: string
  private readonly target: HttpTarget

  constructor(private readonly options: RundeckClientOptions) {
    this.base = trimBase(options.endpoint.url)
    this.label = `Rundeck at ${originOf(this.base)}`
    this.version = options.endpoint.apiVersion ?? DEFAULT_API_VERSION
    if (!Number.isInteger(this.version) || this.version < 14) {
      throw new AppError(
        'invalid-workspace',
        `${this.label}: API version ${this.version} is not supported; use 14 or later (${DEFAULT_API_VERSION} by default).`,
      )
    }
    this.target = {
      label: this.label,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }
  }

  /** The credential's name, for messages. */
  get credential(): string {
    return this.options.credential
  }

  /** Sends one request to `{base}/api/{v}{path}` and returns the answer whatever its status. */
  async send(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const token = await requireSecret(this.options.secret, this.options.credential, this.label)
    const headers: Record<string, string> = { accept: 'application/json', 'x-rundeck-auth-token': token }
    if (body !== undefined) headers['content-type'] = 'application/json'
    return request(this.target, `${this.base}/api/${this.version}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  }

  /** Sends one request and reads its 2xx JSON answer; any other status is thrown as an AppError. */
  async call(method: string, path: string, what: string, body?: unknown): Promise<unknown> {
    const answer = await this.send(method, path, body)
    if (answer.status >= 200 && answer.status < 300) return parseJson(this.target, answer, what)
    throw this.failure(answer, what)
  }

  /** What a non-2xx answer means (A.4): Rundeck's own statuses first, then the common ones. */
  failure(answer: HttpAnswer, what: string): AppError {
    const envelope = errorEnvelope(answer)
    const details = {
      status: answer.status,
      ...(envelope.errorCode !== undefined ? { errorCode: envelope.errorCode } : {}),
    }
    const credential = this.options.credential
    switch (answer.status) {
      case 400:
        if (envelope.errorCode?.startsWith('api.error.api-version') === true) {
          return new AppError(
            'invalid-workspace',
            `${this.label} does not accept API version ${this.version}: ${envelope.message ?? 'unsupported'}.`,
            details,
          )
        }
        return new AppError(
          'invalid-input',
          `${this.label} refused ${what}: ${envelope.message ?? 'bad request'}.`,
          details,
        )
      case 403:
        // Rundeck answers 403 (not 401) for a bad token; another errorCode is an ACL refusal.
        if (envelope.errorCode !== 'unauthorized' && envelope.errorCode !== undefined) {
          return new AppError(
            'forbidden',
            `${this.label}: the token of credential "${credential}" may not do this (${what}).`,
            details,
          )
        }
        return new AppError('auth-failed', statusError(this.target, 403, { doing: what, credential }).message, {
          ...details,
          credential,
        })
      case 409:
        return new AppError(
          'deploy-conflict',
          `${this.label}: the job is already running and does not allow another run at the same time.`,
          details,
        )
      default: {
        const common = statusError(this.target, answer.status, {
          doing: what,
          credential,
          notFound: 'check the job id and project',
        })
        return new AppError(common.code, common.message, details)
      }
    }
  }
}

/** The `errorCode` and `message` of Rundeck's error envelope, when the answer has one. */
export function errorEnvelope(answer: HttpAnswer): { errorCode?: string; message?: string } {
  try {
    const body = JSON.parse(answer.text) as { errorCode?: unknown; message?: unknown }
    return {
      ...(typeof body.errorCode === 'string' ? { errorCode: body.errorCode } : {}),
      ...(typeof body.message === 'string' ? { message: body.message } : {}),
    }
  } catch {
    return {}
  }
}
