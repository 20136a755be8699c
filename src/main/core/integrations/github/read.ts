import { probeVariables } from '../../workspace/templates'
import { template } from '../../workspace/job-fields'
import type { Fields, ReadContext } from '../../workspace/yaml-reader'
import type { EndpointBasics, EndpointOf, ProbeOf } from '../integration'

/** GitHub's REST root, used when a github endpoint gives no URL (Enterprise Server: `https://host/api/v3`). */
export const GITHUB_API = 'https://api.github.com'

/** `{ kind: github, url?, credential? }`: without a credential, anonymous access (public repositories). */
export function readGitHubEndpoint(
  _ctx: ReadContext,
  _fields: Fields,
  _what: string,
  basics: EndpointBasics,
): EndpointOf<'github'> {
  return basics.credential === undefined
    ? { kind: 'github', url: basics.url }
    : { kind: 'github', url: basics.url, credential: basics.credential }
}

/** `{ github: <environment> }`: the GitHub environment, a template. */
export function readGitHubProbe(ctx: ReadContext, fields: Fields, use: string): ProbeOf<'github'> | undefined {
  const environment = template(ctx, fields.get('github'), `the GitHub environment of ${use}`, probeVariables)
  return environment === undefined ? undefined : { kind: 'github', environment }
}
