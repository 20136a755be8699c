import type { Endpoint } from '../../../shared/models/workspace'
import type { Field, Fields, ReadContext } from './yaml-reader'
import { readMap, readString, refer, report } from './yaml-reader'
import { checkTemplate, probeVariables } from './templates'

/** A string that may hold the placeholders `allowed` names. */
export function template(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
  allowed: readonly string[],
): string | undefined {
  const text = readString(ctx, field, what)
  if (text !== undefined && field) checkTemplate(ctx, field, text, allowed, what)
  return text
}

/** Which one of `kinds` a probe or deploy mapping names, reporting none or several. */
export function kindOf(
  ctx: ReadContext,
  fields: Fields,
  kinds: readonly string[],
  what: string,
  hint: string,
): string | undefined {
  const present = fields.list.filter((f) => kinds.includes(f.name))
  if (present.length === 1) return present[0]?.name
  if (present.length === 0) report(ctx, fields.node, `${what} does not say where to look`, hint)
  else
    report(
      ctx,
      present[1]?.key ?? fields.node,
      `${what} names both \`${present[0]?.name}\` and \`${present[1]?.name}\``,
      'keep one of them',
    )
  return undefined
}

/** An `{ option|parameter: name, value: template }` filter. */
export function readPair(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
  nameKey: string,
): { name: string; value: string } | undefined {
  if (!field) return undefined
  const fields = readMap(ctx, field.value, field, { what, keys: [nameKey, 'value'], required: [nameKey, 'value'] })
  const name = readString(ctx, fields?.get(nameKey), `the ${nameKey} of ${what}`)
  const value = template(ctx, fields?.get('value'), `the value of ${what}`, probeVariables)
  return name === undefined || value === undefined ? undefined : { name, value }
}

/** What a probe that asks a deploy tool writes: its endpoint, a job, the field holding the SHA, an environment filter. */
export interface ToolProbeFields {
  endpoint: string
  job: string
  sha: string
  environment?: { name: string; value: string }
}

/**
 * Reads a probe that asks a deploy tool (`{ rundeck: <endpoint>, job: <id>, shaOption: sha, environment: {…} }`):
 * the endpoint must be of the tool's kind, the SHA field defaults to `sha`.
 */
export function readToolProbe(
  ctx: ReadContext,
  fields: Fields,
  use: string,
  tool: { kind: Endpoint['kind']; jobHint: string; shaKey: string; pairKey: string },
): ToolProbeFields | undefined {
  const endpoint = readString(ctx, fields.get(tool.kind), `the endpoint of ${use}`)
  if (endpoint !== undefined)
    refer(ctx, {
      what: 'endpoint',
      name: endpoint,
      node: fields.get(tool.kind)?.value ?? null,
      use,
      kinds: [tool.kind],
    })
  if (!fields.get('job')) report(ctx, fields.node, `${use} is missing \`job\``, `add \`job: <${tool.jobHint}>\``)
  const job = template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
  const sha = fields.get(tool.shaKey) ? readString(ctx, fields.get(tool.shaKey), `the ${tool.shaKey} of ${use}`) : 'sha'
  const environment = readPair(ctx, fields.get('environment'), `the environment filter of ${use}`, tool.pairKey)
  if (endpoint === undefined || job === undefined || sha === undefined) return undefined
  return { endpoint, job, sha, ...(environment ? { environment } : {}) }
}
