import { readToolProbe } from '../../workspace/job-fields'
import type { Fields, ReadContext } from '../../workspace/yaml-reader'
import { readNumber, readString } from '../../workspace/yaml-reader'
import type { EndpointBasics, EndpointOf, ProbeOf } from '../integration'
import { DEFAULT_API_VERSION } from './client'

/** `{ kind: rundeck, url, credential, apiVersion?, project? }`: the API version defaults to 45 and must be ≥ 14. */
export function readRundeckEndpoint(
  ctx: ReadContext,
  fields: Fields,
  what: string,
  basics: EndpointBasics,
): EndpointOf<'rundeck'> | undefined {
  const apiVersionField = fields.get('apiVersion')
  const apiVersion = apiVersionField
    ? readNumber(ctx, apiVersionField, `the apiVersion of ${what}`, { min: 14, integer: true })
    : DEFAULT_API_VERSION
  const project = readString(ctx, fields.get('project'), `the project of ${what}`)
  const { url, credential } = basics
  if (apiVersion === undefined || credential === undefined) return undefined
  return project === undefined
    ? { kind: 'rundeck', url, apiVersion, credential }
    : { kind: 'rundeck', url, apiVersion, credential, project }
}

/** `{ rundeck: <endpoint>, job: <id>, shaOption?: sha, environment?: { option, value } }`. */
export function readRundeckProbe(ctx: ReadContext, fields: Fields, use: string): ProbeOf<'rundeck'> | undefined {
  const read = readToolProbe(ctx, fields, use, {
    kind: 'rundeck',
    jobHint: 'rundeck job id',
    shaKey: 'shaOption',
    pairKey: 'option',
  })
  if (!read) return undefined
  return {
    kind: 'rundeck',
    endpoint: read.endpoint,
    jobId: read.job,
    shaOption: read.sha,
    ...(read.environment ? { environmentOption: read.environment } : {}),
  }
}
