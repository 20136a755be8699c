import { isScalar } from 'yaml'
import type { DeployJobConfig, ProbeConfig } from '../../../shared/models/workspace'
import { checkTemplate, deployVariables, probeVariables, templateVariables } from './templates'
import { readUrl } from './read-endpoints'
import type { Field, Fields, ReadContext } from './yaml-reader'
import { readEntries, readMap, readString, refer, report } from './yaml-reader'

const probeKinds = ['http', 'rundeck', 'jenkins', 'github', 'git-ref', 'none'] as const
const probeHint = 'write one of `{ http: <url>, json: /sha }`, `{ http: <url>, text: <regex> }`, `{ rundeck: <endpoint>, job: <id> }`, `{ jenkins: <endpoint>, job: <name> }`, `{ github: <environment> }`, `{ git-ref: <ref> }` or `none`'

/** A JSON pointer as RFC 6901 writes it: empty, or `/`-separated tokens with `~0`/`~1` escapes only. */
export function isJsonPointer(text: string): boolean {
  return text === '' || (text.startsWith('/') && !/~(?![01])/.test(text))
}

function template(ctx: ReadContext, field: Field | undefined, what: string, allowed: readonly string[]): string | undefined {
  const text = readString(ctx, field, what)
  if (text !== undefined && field) checkTemplate(ctx, field, text, allowed, what)
  return text
}

function kindOf(ctx: ReadContext, fields: Fields, kinds: readonly string[], what: string, hint: string): string | undefined {
  const present = fields.list.filter((f) => kinds.includes(f.name))
  if (present.length === 1) return present[0]?.name
  if (present.length === 0) report(ctx, fields.node, `${what} does not say where to look`, hint)
  else report(ctx, present[1]?.key ?? fields.node, `${what} names both \`${present[0]?.name}\` and \`${present[1]?.name}\``, 'keep one of them')
  return undefined
}

function readPair(ctx: ReadContext, field: Field | undefined, what: string, nameKey: string): { name: string; value: string } | undefined {
  if (!field) return undefined
  const fields = readMap(ctx, field.value, field, { what, keys: [nameKey, 'value'], required: [nameKey, 'value'] })
  const name = readString(ctx, fields?.get(nameKey), `the ${nameKey} of ${what}`)
  const value = template(ctx, fields?.get('value'), `the value of ${what}`, probeVariables)
  return name === undefined || value === undefined ? undefined : { name, value }
}

/** Reads a probe: how to learn the SHA an environment runs. `use` names it in messages. */
export function readProbe(ctx: ReadContext, field: Field, use: string): ProbeConfig | undefined {
  if (isScalar(field.value) && field.value.value === 'none') return { kind: 'none' }
  const fields = readMap(ctx, field.value, field, { what: use, keys: ['http', 'json', 'text', 'credential', 'rundeck', 'jenkins', 'job', 'shaOption', 'shaParameter', 'environment', 'github', 'git-ref', 'none'] })
  if (!fields) return undefined
  const kind = kindOf(ctx, fields, probeKinds, use, probeHint)
  const credential = readString(ctx, fields.get('credential'), `the credential of ${use}`)
  switch (kind) {
    case 'http': {
      const url = readUrl(ctx, fields.get('http'), `the URL of ${use}`, probeVariables)
      const json = fields.get('json')
      const text = fields.get('text')
      if ((json === undefined) === (text === undefined)) {
        report(ctx, fields.node, `${use} must say how to read the SHA from the response: \`json\` or \`text\`, not ${json ? 'both' : 'neither'}`, 'write `json: /sha` (a JSON pointer) or `text: "commit ([0-9a-f]{40})"` (a regex)')
        return undefined
      }
      if (json) {
        const pointer = readString(ctx, json, `the JSON pointer of ${use}`)
        if (pointer !== undefined && !isJsonPointer(pointer)) {
          report(ctx, json, `"${pointer}" is not a JSON pointer`, 'a JSON pointer starts with `/`, e.g. `/build/sha`; write `~1` for a `/` inside a name')
          return undefined
        }
        if (url === undefined || pointer === undefined) return undefined
        return { kind: 'http', url, format: 'json', pointer, ...(credential === undefined ? {} : { credential }) }
      }
      const pattern = readString(ctx, text, `the pattern of ${use}`)
      if (pattern === undefined) return undefined
      try {
        new RegExp(pattern)
      } catch (error) {
        report(ctx, text ?? field, `"${pattern}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`, 'write a JavaScript regex whose first group captures the SHA, e.g. `"commit ([0-9a-f]{40})"`; escape `(`, `[` and `\\` when you mean them literally')
        return undefined
      }
      if (url === undefined) return undefined
      return { kind: 'http', url, format: 'text', pattern, ...(credential === undefined ? {} : { credential }) }
    }
    case 'rundeck': {
      const endpoint = readString(ctx, fields.get('rundeck'), `the endpoint of ${use}`)
      if (endpoint !== undefined) refer(ctx, { what: 'endpoint', name: endpoint, node: fields.get('rundeck')?.value ?? null, use, kinds: ['rundeck'] })
      if (!fields.get('job')) report(ctx, fields.node, `${use} is missing \`job\``, 'add `job: <rundeck job id>`')
      const jobId = template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
      const shaOption = fields.get('shaOption') ? readString(ctx, fields.get('shaOption'), `the shaOption of ${use}`) : 'sha'
      const environmentOption = readPair(ctx, fields.get('environment'), `the environment filter of ${use}`, 'option')
      if (endpoint === undefined || jobId === undefined || shaOption === undefined) return undefined
      return { kind: 'rundeck', endpoint, jobId, shaOption, ...(environmentOption ? { environmentOption } : {}) }
    }
    case 'jenkins': {
      const endpoint = readString(ctx, fields.get('jenkins'), `the endpoint of ${use}`)
      if (endpoint !== undefined) refer(ctx, { what: 'endpoint', name: endpoint, node: fields.get('jenkins')?.value ?? null, use, kinds: ['jenkins'] })
      if (!fields.get('job')) report(ctx, fields.node, `${use} is missing \`job\``, 'add `job: <jenkins job name>`')
      const job = template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
      const shaParameter = fields.get('shaParameter') ? readString(ctx, fields.get('shaParameter'), `the shaParameter of ${use}`) : 'sha'
      const environmentParameter = readPair(ctx, fields.get('environment'), `the environment filter of ${use}`, 'parameter')
      if (endpoint === undefined || job === undefined || shaParameter === undefined) return undefined
      return { kind: 'jenkins', endpoint, job, shaParameter, ...(environmentParameter ? { environmentParameter } : {}) }
    }
    case 'github': {
      const environment = template(ctx, fields.get('github'), `the GitHub environment of ${use}`, probeVariables)
      return environment === undefined ? undefined : { kind: 'github', environment }
    }
    case 'git-ref': {
      const ref = template(ctx, fields.get('git-ref'), `the ref of ${use}`, probeVariables)
      return ref === undefined ? undefined : { kind: 'git-ref', ref }
    }
    case 'none':
      return { kind: 'none' }
    default:
      return undefined
  }
}

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
  const fields = readMap(ctx, field.value, field, { what: use, keys: ['rundeck', 'jenkins', 'job', 'options', 'parameters'], required: ['job'] })
  if (!fields) return undefined
  const provider = kindOf(ctx, fields, ['rundeck', 'jenkins'], use, 'write `{ rundeck: <endpoint>, job: <id>, options: { sha: "{sha}" } }` or `{ jenkins: <endpoint>, job: <name>, parameters: { sha: "{sha}" } }`')
  if (provider === undefined) return undefined
  const endpoint = readString(ctx, fields.get(provider), `the endpoint of ${use}`)
  if (endpoint !== undefined) refer(ctx, { what: 'endpoint', name: endpoint, node: fields.get(provider)?.value ?? null, use, kinds: [provider as 'rundeck' | 'jenkins'] })
  const job = template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
  const valuesKey = provider === 'rundeck' ? 'options' : 'parameters'
  const wrongKey = provider === 'rundeck' ? 'parameters' : 'options'
  const wrong = fields.get(wrongKey)
  if (wrong) report(ctx, wrong.key, `a ${provider} job takes \`${valuesKey}\`, not \`${wrongKey}\``, `rename it to \`${valuesKey}:\``)
  const values = readValues(ctx, fields.get(valuesKey), `the ${valuesKey} of ${use}`)
  if (values && !Object.values(values).some((value) => templateVariables(value).includes('sha'))) {
    report(ctx, fields.get(valuesKey) ?? fields.node, `${use} never passes the SHA to deploy`, `add \`${valuesKey}: { sha: "{sha}" }\` (with the name your job expects)`)
  }
  if (endpoint === undefined || job === undefined || values === undefined) return undefined
  return provider === 'rundeck'
    ? { provider: 'rundeck', endpoint, jobId: job, options: values }
    : { provider: 'jenkins', endpoint, job, parameters: values }
}
