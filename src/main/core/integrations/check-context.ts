import type { Endpoint } from '../../../shared/models/workspace'
import type { FetchLike } from '../http/client'

/** What one endpoint check gets: the secret to try (typed, or the keychain's for a bound origin), the fetch, the wait. */
export interface CheckContext {
  /** Undefined when the endpoint names no credential; a named credential without a secret never gets here. */
  secret: string | undefined
  fetch?: FetchLike
  timeoutMs: number
}

/** Tries one endpoint of a kind with one cheap authenticated request; says what it found, or throws AppError. */
export type EndpointCheckOf<K extends Endpoint['kind']> = (
  endpoint: Extract<Endpoint, { kind: K }>,
  ctx: CheckContext,
) => Promise<string>
