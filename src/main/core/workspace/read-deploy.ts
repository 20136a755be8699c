import type { DeployJobConfig } from '../../../shared/models/workspace'
import { jenkinsJob, kindOf, template } from './job-fields'
import { deployVariables, probeVariables, templateVariables } from './templates'
import type { Field, ReadContext } from './yaml-reader'
import { readEntries, readMap, readString, refer, report } from './yaml-reader'

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

/** Reads a deploy job: which Rundeck job or Jenkins job deploys a SHA, with templated options. */
export function readDeploy(ctx: ReadContext, field: Field, use: string): DeployJobConfig | undefined {
  const fields = readMap(ctx, field.value, field, {
    what: use,
    keys: ['rundeck', 'jenkins', 'job', 'options', 'parameters'],
    required: ['job'],
  })
  if (!fields) return undefined
  const provider = kindOf(
    ctx,
    fields,
    ['rundeck', 'jenkins'],
    use,
    'write `{ rundeck: <endpoint>, job: <id>, options: { sha: "{sha}" } }` or `{ jenkins: <endpoint>, job: <name>, parameters: { sha: "{sha}" } }`',
  )
  if (provider === undefined) return undefined
  const endpoint = readString(ctx, fields.get(provider), `the endpoint of ${use}`)
  if (endpoint !== undefined)
    refer(ctx, {
      what: 'endpoint',
      name: endpoint,
      node: fields.get(provider)?.value ?? null,
      use,
      kinds: [provider as 'rundeck' | 'jenkins'],
    })
  const job =
    provider === 'jenkins'
      ? jenkinsJob(ctx, fields.get('job'), `the job of ${use}`)
      : template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
  const valuesKey = provider === 'rundeck' ? 'options' : 'parameters'
  const wrongKey = provider === 'rundeck' ? 'parameters' : 'options'
  const wrong = fields.get(wrongKey)
  if (wrong)
    report(
      ctx,
      wrong.key,
      `a ${provider} job takes \`${valuesKey}\`, not \`${wrongKey}\``,
      `rename it to \`${valuesKey}:\``,
    )
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
  return provider === 'rundeck'
    ? { provider: 'rundeck', endpoint, jobId: job, options: values }
    : { provider: 'jenkins', endpoint, job, parameters: values }
}
