import type { Endpoint } from '../../../../shared/models/workspace'
import type { SecretLookup } from '../../credentials/require-secret'
import type { FetchLike } from '../../http/client'
import type { EndpointOf } from '../integration'
import { createGitHub, type GitHub } from './client'
import { GITHUB_API } from './read'

/**
 * The GitHub endpoint a service's repository is reached through: the one its `github:` names, else the
 * workspace's only GitHub endpoint (its token included); undefined means api.github.com without a token.
 */
export function serviceEndpoint(
  endpoints: Record<string, Endpoint>,
  named: string | undefined,
): { name: string; endpoint: EndpointOf<'github'> } | undefined {
  const candidates = Object.entries(endpoints).filter(
    (entry): entry is [string, EndpointOf<'github'>] => entry[1].kind === 'github',
  )
  if (named !== undefined) {
    const found = candidates.find(([name]) => name === named)
    return found ? { name: found[0], endpoint: found[1] } : undefined
  }
  const only = candidates.length === 1 ? candidates[0] : undefined
  return only ? { name: only[0], endpoint: only[1] } : undefined
}

/** A GitHub client over an endpoint (or api.github.com, anonymously), its token looked up on every request. */
export function clientFor(
  endpoint: EndpointOf<'github'> | undefined,
  ports: { secret: SecretLookup; fetch?: FetchLike },
): GitHub {
  const credential = endpoint?.credential
  return createGitHub({
    baseUrl: endpoint?.url ?? GITHUB_API,
    ...(credential ? { credential, token: () => ports.secret(credential) } : {}),
    ...(ports.fetch ? { fetch: ports.fetch } : {}),
  })
}
