import { isMap, isScalar, isSeq } from 'yaml'
import type { ParsedNode } from 'yaml'
import type { Service } from '../../../shared/models/workspace'
import { readUrl } from './read-url'
import { readDeploy } from './read-deploy'
import { readProbe } from './read-probe'
import type { Field, Item, ReadContext } from './yaml-reader'
import { lineOf, readBoolean, readEntries, readMap, readNames, readString, refer, report } from './yaml-reader'

/** Names of services, environments and regions: they appear in URLs, branch names and templates. */
export const namePattern = /^[A-Za-z0-9][\w.-]*$/

/** Default branch when a service does not say. */
export const defaultBranch = 'main'

/** Reports a name that would not survive a URL or a branch name. */
export function checkName(ctx: ReadContext, field: Field | ParsedNode, name: string, what: string): boolean {
  if (namePattern.test(name)) return true
  report(
    ctx,
    field,
    `${what} name "${name}" has characters Trainyard cannot use`,
    'use letters, digits, `-`, `_` and `.`, starting with a letter or digit',
  )
  return false
}

function readRepo(ctx: ReadContext, field: Field | undefined, what: string): Service['repo'] | undefined {
  if (!field) return undefined
  if (isScalar(field.value)) {
    const url = readUrl(ctx, field, `the repo of ${what}`)
    return url === undefined ? undefined : { url }
  }
  const fields = readMap(ctx, field.value, field, {
    what: `the repo of ${what}`,
    keys: ['url', 'credential'],
    required: ['url'],
  })
  const url = readUrl(ctx, fields?.get('url'), `the repo URL of ${what}`)
  const credential = readString(ctx, fields?.get('credential'), `the repo credential of ${what}`)
  if (url === undefined) return undefined
  return credential === undefined ? { url } : { url, credential }
}

function readGithub(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
): Service['github'] | 'invalid' | undefined {
  if (!field) return undefined
  const fields = isScalar(field.value)
    ? undefined
    : readMap(ctx, field.value, field, {
        what: `the github repo of ${what}`,
        keys: ['repo', 'endpoint'],
        required: ['repo'],
      })
  const repoField = fields ? fields.get('repo') : field
  const full = readString(ctx, repoField, `the github repo of ${what}`)
  if (full === undefined || repoField === undefined) return 'invalid'
  const [owner, repo, ...rest] = full.split('/')
  if (!owner || !repo || rest.length > 0) {
    report(ctx, repoField, `"${full}" is not a GitHub repository`, 'write it as `owner/repo`, e.g. `acme/billing`')
    return 'invalid'
  }
  const endpointField = fields?.get('endpoint')
  const endpoint = readString(ctx, endpointField, `the github endpoint of ${what}`)
  if (endpoint === undefined) return { owner, repo: repo.replace(/\.git$/, '') }
  refer(ctx, {
    what: 'endpoint',
    name: endpoint,
    node: endpointField?.value ?? null,
    use: `the github repo of ${what}`,
    kinds: ['github'],
  })
  return { owner, repo: repo.replace(/\.git$/, ''), endpoint }
}

function readOverrides(ctx: ReadContext, field: Field | undefined, service: string): Service['environments'] {
  const overrides: Service['environments'] = {}
  if (!field) return overrides
  const entries = readEntries(ctx, field.value, field, `the environments of service \`${service}\``, 'environment')
  for (const entry of entries?.list ?? []) {
    refer(ctx, { what: 'environment', name: entry.name, node: entry.key, use: `service \`${service}\`` })
    if (isScalar(entry.value) && entry.value.value === 'skip') {
      overrides[entry.name] = { skip: true }
      continue
    }
    const use = `service \`${service}\` in \`${entry.name}\``
    const fields = readMap(ctx, entry.value, entry, {
      what: `the override of ${use}`,
      keys: ['probe', 'deploy', 'skip'],
    })
    if (!fields) continue
    const override: Service['environments'][string] = {}
    const probeField = fields.get('probe')
    const deployField = fields.get('deploy')
    const probe = probeField ? readProbe(ctx, probeField, `the probe of ${use}`) : undefined
    const deploy = deployField ? readDeploy(ctx, deployField, `the deploy job of ${use}`) : undefined
    const skip = readBoolean(ctx, fields.get('skip'), `\`skip\` of ${use}`)
    if (probe) override.probe = probe
    if (deploy) override.deploy = deploy
    if (skip !== undefined) override.skip = skip
    overrides[entry.name] = override
  }
  return overrides
}

function readService(
  ctx: ReadContext,
  node: ParsedNode | null,
  at: Field,
  index: number,
): { service: Service; key: ParsedNode; dependsOn: Item[] } | undefined {
  const fields = readMap(ctx, node, node ?? at, {
    what: `service #${index + 1}`,
    keys: ['name', 'repo', 'defaultBranch', 'github', 'environments', 'dependsOn'],
    required: ['name', 'repo'],
  })
  if (!fields) return undefined
  const nameField = fields.get('name')
  const name = readString(ctx, nameField, `the name of service #${index + 1}`)
  if (name === undefined || nameField === undefined || !checkName(ctx, nameField, name, 'service')) return undefined
  const what = `service \`${name}\``
  const repo = readRepo(ctx, fields.get('repo'), what)
  const branch = fields.get('defaultBranch')
    ? readString(ctx, fields.get('defaultBranch'), `the defaultBranch of ${what}`)
    : defaultBranch
  const github = readGithub(ctx, fields.get('github'), what)
  const environments = readOverrides(ctx, fields.get('environments'), name)
  const dependsOn = readNames(ctx, fields.get('dependsOn'), `\`dependsOn\` of ${what}`, true)
  for (const item of dependsOn ?? [])
    refer(ctx, { what: 'service', name: item.value, node: item.node, use: `\`dependsOn\` of ${what}` })
  if (repo === undefined || branch === undefined || github === 'invalid') return undefined
  const service: Service = { name, repo, defaultBranch: branch, environments }
  if (github) service.github = github
  if (dependsOn && dependsOn.length > 0) service.dependsOn = dependsOn.map((item) => item.value)
  return { service, key: nameField.value ?? nameField.key, dependsOn: dependsOn ?? [] }
}

/** Reads the `services:` list, reporting a service defined twice. */
export function readServices(ctx: ReadContext, field: Field | undefined): Service[] {
  if (!field) return []
  if (!isSeq(field.value)) {
    const hint = isMap(field.value)
      ? 'write each service as a list entry: `- name: billing`'
      : 'write `- name: <service>` entries under `services:`'
    report(ctx, field, '`services` must be a list', hint)
    return []
  }
  const services: Service[] = []
  const seen = new Map<string, ParsedNode>()
  const edges = new Map<string, Item[]>()
  field.value.items.forEach((item, index) => {
    const read = readService(ctx, item, field, index)
    if (!read) return
    const first = seen.get(read.service.name)
    if (first) {
      report(
        ctx,
        read.key,
        `service \`${read.service.name}\` is defined twice (first on line ${lineOf(ctx, first)})`,
        'keep one definition and merge the two',
      )
      return
    }
    seen.set(read.service.name, read.key)
    edges.set(read.service.name, read.dependsOn)
    services.push(read.service)
  })
  reportCycles(ctx, edges)
  return services
}

/** Reports each `dependsOn` cycle once, at the entry that closes it: such services could never be deployed in order. */
function reportCycles(ctx: ReadContext, edges: ReadonlyMap<string, Item[]>): void {
  const done = new Set<string>()
  const walk = (name: string, path: string[]): void => {
    if (done.has(name)) return
    for (const item of edges.get(name) ?? []) {
      const at = path.indexOf(item.value)
      if (item.value === name || at >= 0) {
        const cycle = [...path.slice(at < 0 ? path.length : at), name, item.value]
        report(
          ctx,
          item.node,
          `services depend on each other in a cycle: ${cycle.join(' → ')}`,
          `remove \`${item.value}\` from the \`dependsOn\` of \`${name}\`, or another link of the cycle`,
        )
        continue
      }
      if (edges.has(item.value)) walk(item.value, [...path, name])
    }
    done.add(name)
  }
  for (const name of edges.keys()) walk(name, [])
}
