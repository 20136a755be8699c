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

/**
 * A Jenkins job as its folder path (`release/deploy-search`). The path as the job's URL shows it
 * (`release/job/deploy-search`, `job/release/job/deploy-search/`) means the same job and is taken as that; a whole
 * URL is reported, since the endpoint already says which server.
 */
export function jenkinsJob(ctx: ReadContext, field: Field | undefined, what: string): string | undefined {
  const text = template(ctx, field, what, probeVariables)
  if (text === undefined || !field) return text
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    report(
      ctx,
      field,
      `${what} is a URL: "${text}"`,
      "write the job's folder path, e.g. `job: release/deploy-search`; the endpoint says which server",
    )
    return undefined
  }
  const segments = text.split('/').filter((segment) => segment !== '')
  // `job/a/job/b` (the URL's path) or `a/job/b` (copied from after the first `job/`): names alternate with `job`.
  const offset = segments[0] === 'job' ? 1 : 0
  const names = segments.filter((_, i) => (i + offset) % 2 === 0)
  const separators = segments.filter((_, i) => (i + offset) % 2 === 1)
  const urlShaped =
    separators.length > 0 && separators.every((s) => s === 'job') && names.length === separators.length + 1 - offset
  return urlShaped ? names.join('/') : text
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
  tool: {
    kind: Endpoint['kind']
    jobHint: string
    shaKey: string
    pairKey: string
    /** How the tool's job is read (default: a template of `{service}` and `{environment}`). */
    readJob?: (ctx: ReadContext, field: Field | undefined, what: string) => string | undefined
  },
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
  const readJob = tool.readJob ?? ((c, f, what) => template(c, f, what, probeVariables))
  const job = readJob(ctx, fields.get('job'), `the job of ${use}`)
  const sha = fields.get(tool.shaKey) ? readString(ctx, fields.get(tool.shaKey), `the ${tool.shaKey} of ${use}`) : 'sha'
  const environment = readPair(ctx, fields.get('environment'), `the environment filter of ${use}`, tool.pairKey)
  if (endpoint === undefined || job === undefined || sha === undefined) return undefined
  return { endpoint, job, sha, ...(environment ? { environment } : {}) }
}
