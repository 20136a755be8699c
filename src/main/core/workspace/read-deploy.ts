import type { DeployJobConfig } from '../../../shared/models/workspace'
import { deployFacet, providerKinds } from '../integrations/registry'
import { kindOf, template } from './job-fields'
import { deployVariables, probeVariables, templateVariables } from './templates'
import type { Field, ReadContext } from './yaml-reader'
import { readEntries, readMap, readString, refer, report } from './yaml-reader'

/** The key of each provider's templated values (`options`, `parameters`). */
const valuesKeys = providerKinds.map((kind) => deployFacet(kind).values)
const deployHint = `write ${providerKinds.flatMap((kind) => deployFacet(kind).examples).join(' or ')}`

function readValues(ctx: ReadContext, field: Field | undefined, what: string): Record<string, string> | undefined {
  const values: Record<string, string> = {}
  if (!field) return values
  const entries = readEntries(ctx, field.value, field, what, 'option')
  if (!entries) return undefined
  for (const entry of entries.list) {
    const value = template(ctx, entry, `\`${entry.name}\` of ${what}`, deployVariables)
    if (value !== undefined) values[entry.name] = value
  }
  return values
}

/**
 * Reads a deploy job, written alike for every provider: `{ <provider>: <endpoint>, job: <name or id>,
 * <values>: { name: template } }`, where the values must pass `{sha}`.
 */
export function readDeploy(ctx: ReadContext, field: Field, use: string): DeployJobConfig | undefined {
  const fields = readMap(ctx, field.value, field, {
    what: use,
    keys: [...providerKinds, 'job', ...new Set(valuesKeys)],
    required: ['job'],
  })
  if (!fields) return undefined
  const provider = kindOf(ctx, fields, providerKinds, use, deployHint) as DeployJobConfig['provider'] | undefined
  if (provider === undefined) return undefined
  const facet = deployFacet(provider)
  const endpoint = readString(ctx, fields.get(provider), `the endpoint of ${use}`)
  if (endpoint !== undefined)
    refer(ctx, { what: 'endpoint', name: endpoint, node: fields.get(provider)?.value ?? null, use, kinds: [provider] })
  const job = facet.readJob
    ? facet.readJob(ctx, fields.get('job'), `the job of ${use}`)
    : template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
  const valuesKey = facet.values
  for (const wrong of valuesKeys.filter((key) => key !== valuesKey)) {
    const found = fields.get(wrong)
    if (found)
      report(
        ctx,
        found.key,
        `a ${provider} job takes \`${valuesKey}\`, not \`${wrong}\``,
        `rename it to \`${valuesKey}:\``,
      )
  }
  const values = readValues(ctx, fields.get(valuesKey), `the ${valuesKey} of ${use}`)
  if (values && !Object.values(values).some((value) => templateVariables(value).includes('sha'))) {
    report(
      ctx,
      fields.get(valuesKey) ?? fields.node,
      `${use} never passes the SHA to deploy`,
      `add \`${valuesKey}: { sha: "{sha}" }\` (with the name your job expects)`,
    )
  }
  if (endpoint === undefined || job === undefined || values === undefined) return undefined
  return facet.job(endpoint, job, values)
}
