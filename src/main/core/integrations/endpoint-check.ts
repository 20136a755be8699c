import type { Endpoint, EndpointCheck, EndpointCheckResult } from '../../../shared/models/workspace'
import { AppError } from '../../../shared/errors'
import type { SecretLookup } from '../credentials/require-secret'
import { request, type FetchLike } from '../http/client'
import { displayUrl, sameOrigin } from '../http/urls'
import { endpointFacet } from './registry'

/** What testing an endpoint needs: the keychain, the endpoints that may use it, the fetch, and how long to wait. */
export interface EndpointCheckDeps {
  secret: SecretLookup
  /**
   * The open workspace's endpoints (none when no workspace is open). A stored secret is sent only to the
   * origin one of them binds its credential to; anywhere else the secret must be typed.
   */
  bound: Record<string, Endpoint> | undefined
  fetch?: FetchLike
  /** Default 5000. */
  timeoutMs?: number
}

/**
 * The secret to try: the typed one, else the keychain's, but only when the open workspace binds the
 * credential to this endpoint's origin. The URL comes from the caller (any renderer, any holder of the web
 * host's token), so a stored secret must never follow it to another server.
 */
async function secretFor(check: EndpointCheck, deps: EndpointCheckDeps): Promise<string | undefined> {
  if (check.secret !== undefined && check.secret !== '') return check.secret
  const credential = check.endpoint.credential
  if (credential === undefined || credential === '') return undefined
  const binds = Object.values(deps.bound ?? {}).some(
    (endpoint) => endpoint.credential === credential && sameOrigin(endpoint.url, check.endpoint.url),
  )
  if (!binds) {
    throw new AppError(
      'credential-missing',
      `Type the secret of credential "${credential}" to test ${displayUrl(check.endpoint.url)}: a stored secret is sent only to the server the open workspace uses it for.`,
      { credential },
    )
  }
  const stored = await deps.secret(credential)
  if (stored === undefined || stored === '') {
    throw new AppError(
      'credential-missing',
      `No secret for credential "${credential}": type it, or store it in the keychain first.`,
      { credential },
    )
  }
  return stored
}

/**
 * Without a typed secret the check may stop at the keychain ("no secret", "no keychain", "not bound here"): first
 * make sure something answers at the URL at all, so an unreachable URL is reported as unreachable. Any answer will do.
 */
async function reachableFirst(check: EndpointCheck, deps: EndpointCheckDeps): Promise<void> {
  const typed = check.secret !== undefined && check.secret !== ''
  const credential = check.endpoint.credential
  if (typed || credential === undefined || credential === '') return
  await request(
    {
      label: `The server at ${displayUrl(check.endpoint.url)}`,
      timeoutMs: deps.timeoutMs ?? 5000,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
    check.endpoint.url,
  )
}

/**
 * Tries an endpoint with one cheap authenticated GET and says what it found. Never throws; never
 * stores the secret; no message carries it (the secret is also masked out defensively).
 */
export async function checkEndpoint(check: EndpointCheck, deps: EndpointCheckDeps): Promise<EndpointCheckResult> {
  const { endpoint } = check
  let secret: string | undefined
  try {
    if (!URL.canParse(endpoint.url) || !/^https?:$/.test(new URL(endpoint.url).protocol)) {
      throw new AppError('invalid-input', 'The URL must start with http:// or https://.')
    }
    await reachableFirst(check, deps)
    secret = await secretFor(check, deps)
    const message = await endpointFacet(endpoint.kind).check(endpoint, {
      secret,
      timeoutMs: deps.timeoutMs ?? 5000,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    })
    return { ok: true, message: masked(message, secret) }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: masked(error.message, secret), code: error.code }
    return {
      ok: false,
      message: 'Testing the endpoint failed inside Trainyard; the log has the details.',
      code: 'internal',
    }
  }
}

function masked(message: string, secret: string | undefined): string {
  return secret === undefined || secret.length < 4 ? message : message.split(secret).join('•••')
}
