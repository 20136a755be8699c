import { jenkinsJob, readToolProbe } from '../../workspace/job-fields'
import type { Fields, ReadContext } from '../../workspace/yaml-reader'
import { readString } from '../../workspace/yaml-reader'
import type { EndpointBasics, EndpointOf, ProbeOf } from '../integration'

/** `{ kind: jenkins, url, user, credential }`: the credential holds the user's API token. */
export function readJenkinsEndpoint(
  ctx: ReadContext,
  fields: Fields,
  what: string,
  basics: EndpointBasics,
): EndpointOf<'jenkins'> | undefined {
  const user = readString(ctx, fields.get('user'), `the user of ${what}`)
  if (user === undefined || basics.credential === undefined) return undefined
  return { kind: 'jenkins', url: basics.url, user, credential: basics.credential }
}

/** `{ jenkins: <endpoint>, job: <name>, shaParameter?: sha, environment?: { parameter, value } }`. */
export function readJenkinsProbe(ctx: ReadContext, fields: Fields, use: string): ProbeOf<'jenkins'> | undefined {
  const read = readToolProbe(ctx, fields, use, {
    kind: 'jenkins',
    jobHint: 'jenkins job name',
    shaKey: 'shaParameter',
    pairKey: 'parameter',
    readJob: jenkinsJob,
  })
  if (!read) return undefined
  return {
    kind: 'jenkins',
    endpoint: read.endpoint,
    job: read.job,
    shaParameter: read.sha,
    ...(read.environment ? { environmentParameter: read.environment } : {}),
  }
}
