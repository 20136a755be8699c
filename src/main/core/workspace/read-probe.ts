import { isScalar } from 'yaml'
import type { ProbeConfig } from '../../../shared/models/workspace'
import { jenkinsJob, kindOf, readPair, template } from './job-fields'
import { readUrl } from './read-endpoints'
import { regexHazard } from './regex-hazards'
import { probeVariables } from './templates'
import type { Field, ReadContext } from './yaml-reader'
import { readMap, readString, refer, report } from './yaml-reader'

const probeKinds = ['http', 'rundeck', 'jenkins', 'github', 'git-ref', 'none'] as const
const keysOfKind: Record<(typeof probeKinds)[number], string[]> = {
  http: ['http', 'json', 'text', 'credential'],
  rundeck: ['rundeck', 'job', 'shaOption', 'environment'],
  jenkins: ['jenkins', 'job', 'shaParameter', 'environment'],
  github: ['github'],
  'git-ref': ['git-ref'],
  none: ['none'],
}
const allKeys = [...new Set(Object.values(keysOfKind).flat())]
const probeHint =
  'write one of `{ http: <url>, json: /sha }`, `{ http: <url>, text: <regex> }`, `{ rundeck: <endpoint>, job: <id> }`, `{ jenkins: <endpoint>, job: <name> }`, `{ github: <environment> }`, `{ git-ref: <ref> }` or `none`'

/** A JSON pointer as RFC 6901 writes it: empty, or `/`-separated tokens with `~0`/`~1` escapes only. */
export function isJsonPointer(text: string): boolean {
  return text === '' || (text.startsWith('/') && !/~(?![01])/.test(text))
}

/** Reads a probe: how to learn the SHA an environment runs. `use` names it in messages. */
export function readProbe(ctx: ReadContext, field: Field, use: string): ProbeConfig | undefined {
  if (isScalar(field.value) && field.value.value === 'none') return { kind: 'none' }
  const fields = readMap(ctx, field.value, field, {
    what: use,
    keys: allKeys,
  })
  if (!fields) return undefined
  const kind = kindOf(ctx, fields, probeKinds, use, probeHint)
  if (kind !== undefined) {
    const allowed = keysOfKind[kind as (typeof probeKinds)[number]]
    for (const extra of fields.list.filter((f) => !allowed.includes(f.name) && !probeKinds.includes(f.name as never))) {
      if (!allKeys.includes(extra.name)) continue
      const listed = allowed.map((k) => `\`${k}\``).join(', ')
      report(ctx, extra.key, `a ${kind} probe has no \`${extra.name}\``, `remove it; a ${kind} probe takes ${listed}`)
    }
  }
  const credential = readString(ctx, fields.get('credential'), `the credential of ${use}`)
  switch (kind) {
    case 'http': {
      const url = readUrl(ctx, fields.get('http'), `the URL of ${use}`, probeVariables)
      const json = fields.get('json')
      const text = fields.get('text')
      if ((json === undefined) === (text === undefined)) {
        report(
          ctx,
          fields.node,
          `${use} must say how to read the SHA from the response: \`json\` or \`text\`, not ${json ? 'both' : 'neither'}`,
          'write `json: /sha` (a JSON pointer) or `text: "commit ([0-9a-f]{40})"` (a regex)',
        )
        return undefined
      }
      if (json) {
        const pointer = readString(ctx, json, `the JSON pointer of ${use}`)
        if (pointer !== undefined && !isJsonPointer(pointer)) {
          report(
            ctx,
            json,
            `"${pointer}" is not a JSON pointer`,
            'a JSON pointer starts with `/`, e.g. `/build/sha`; write `~1` for a `/` inside a name',
          )
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
        report(
          ctx,
          text ?? field,
          `"${pattern}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`,
          'write a JavaScript regex whose first group captures the SHA, e.g. `"commit ([0-9a-f]{40})"`; escape `(`, `[` and `\\` when you mean them literally',
        )
        return undefined
      }
      const hazard = regexHazard(pattern)
      if (hazard !== undefined) {
        report(
          ctx,
          text ?? field,
          `"${pattern}" can keep the probe busy for minutes on an answer that almost matches: ${hazard}`,
          'repeat a piece once, not a group of repeats (`[0-9a-f]+`, not `([0-9a-f]+)+`), and give repeated alternatives different first characters; the pattern only has to find the SHA, e.g. `"commit ([0-9a-f]{40})"`',
        )
        return undefined
      }
      if (url === undefined) return undefined
      return { kind: 'http', url, format: 'text', pattern, ...(credential === undefined ? {} : { credential }) }
    }
    case 'rundeck': {
      const endpoint = readString(ctx, fields.get('rundeck'), `the endpoint of ${use}`)
      if (endpoint !== undefined)
        refer(ctx, {
          what: 'endpoint',
          name: endpoint,
          node: fields.get('rundeck')?.value ?? null,
          use,
          kinds: ['rundeck'],
        })
      if (!fields.get('job')) report(ctx, fields.node, `${use} is missing \`job\``, 'add `job: <rundeck job id>`')
      const jobId = template(ctx, fields.get('job'), `the job of ${use}`, probeVariables)
      const shaOption = fields.get('shaOption')
        ? readString(ctx, fields.get('shaOption'), `the shaOption of ${use}`)
        : 'sha'
      const environmentOption = readPair(ctx, fields.get('environment'), `the environment filter of ${use}`, 'option')
      if (endpoint === undefined || jobId === undefined || shaOption === undefined) return undefined
      return { kind: 'rundeck', endpoint, jobId, shaOption, ...(environmentOption ? { environmentOption } : {}) }
    }
    case 'jenkins': {
      const endpoint = readString(ctx, fields.get('jenkins'), `the endpoint of ${use}`)
      if (endpoint !== undefined)
        refer(ctx, {
          what: 'endpoint',
          name: endpoint,
          node: fields.get('jenkins')?.value ?? null,
          use,
          kinds: ['jenkins'],
        })
      if (!fields.get('job')) report(ctx, fields.node, `${use} is missing \`job\``, 'add `job: <jenkins job name>`')
      const job = jenkinsJob(ctx, fields.get('job'), `the job of ${use}`)
      const shaParameter = fields.get('shaParameter')
        ? readString(ctx, fields.get('shaParameter'), `the shaParameter of ${use}`)
        : 'sha'
      const environmentParameter = readPair(
        ctx,
        fields.get('environment'),
        `the environment filter of ${use}`,
        'parameter',
      )
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
