import { isMap, isScalar } from 'yaml'
import type { Endpoint } from '../../../shared/models/workspace'
import { checkTemplate, isHttpUrl } from './templates'
import type { Field, ReadContext } from './yaml-reader'
import { readEntries, readMap, readNumber, readString, report } from './yaml-reader'

/** Endpoint kinds a workspace may define. */
export const endpointKinds = ['rundeck', 'jenkins', 'github', 'http'] as const

/** Rundeck API version used when the file does not say (Rundeck 4.14 and later accept it). */
export const defaultRundeckApiVersion = 45

/** GitHub's API URL, used when a github endpoint gives none. */
export const defaultGithubUrl = 'https://api.github.com'

/** Reads a URL (templates allowed only where `allowed` says), reporting anything that is not http(s). */
export function readUrl(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
  allowed: readonly string[] = [],
): string | undefined {
  const text = readString(ctx, field, what)
  if (text === undefined || field === undefined) return undefined
  checkTemplate(ctx, field, text, allowed, what)
  if (!isHttpUrl(text)) {
    report(
      ctx,
      field,
      `${what} is not a valid URL: "${text}"`,
      'write a full http(s) URL, e.g. `https://rundeck.example.com`',
    )
    return undefined
  }
  return text.replace(/\/+$/, '')
}

function readEndpoint(ctx: ReadContext, field: Field): Endpoint | undefined {
  const what = `endpoint \`${field.name}\``
  const kindFields = readMap(ctx, field.value, field, {
    what,
    keys: ['kind', 'url', 'apiVersion', 'credential', 'project', 'user'],
    required: ['kind'],
  })
  if (!kindFields) return undefined
  const kind = readString(ctx, kindFields.get('kind'), `the kind of ${what}`)
  if (kind === undefined) return undefined
  const keysOf: Record<(typeof endpointKinds)[number], string[]> = {
    rundeck: ['kind', 'url', 'apiVersion', 'credential', 'project'],
    jenkins: ['kind', 'url', 'user', 'credential'],
    github: ['kind', 'url', 'credential'],
    http: ['kind', 'url', 'credential'],
  }
  if (!(endpointKinds as readonly string[]).includes(kind)) {
    report(
      ctx,
      kindFields.get('kind') ?? field,
      `unknown endpoint kind \`${kind}\``,
      `use one of: ${endpointKinds.join(', ')}`,
    )
    return undefined
  }
  const known = keysOf[kind as Endpoint['kind']]
  for (const extra of kindFields.list.filter(
    (f) => !known.includes(f.name) && keysOf.rundeck.concat(keysOf.jenkins).includes(f.name),
  )) {
    report(
      ctx,
      extra.key,
      `a ${kind} endpoint has no \`${extra.name}\``,
      `remove it; a ${kind} endpoint takes ${known.map((k) => `\`${k}\``).join(', ')}`,
    )
  }
  const required =
    kind === 'github'
      ? []
      : kind === 'http'
        ? ['url']
        : kind === 'jenkins'
          ? ['url', 'user', 'credential']
          : ['url', 'credential']
  for (const name of required) {
    if (!kindFields.get(name))
      report(ctx, kindFields.node, `${what} is missing \`${name}\``, `add \`${name}: …\`; a ${kind} endpoint needs it`)
  }
  const url = kindFields.get('url')
    ? readUrl(ctx, kindFields.get('url'), `the url of ${what}`)
    : kind === 'github'
      ? defaultGithubUrl
      : undefined
  const credential = readString(ctx, kindFields.get('credential'), `the credential of ${what}`)
  if (url === undefined) return undefined
  switch (kind as Endpoint['kind']) {
    case 'rundeck': {
      const apiVersionField = kindFields.get('apiVersion')
      const apiVersion = apiVersionField
        ? readNumber(ctx, apiVersionField, `the apiVersion of ${what}`, { min: 14, integer: true })
        : defaultRundeckApiVersion
      const project = readString(ctx, kindFields.get('project'), `the project of ${what}`)
      if (apiVersion === undefined || credential === undefined) return undefined
      return project === undefined
        ? { kind: 'rundeck', url, apiVersion, credential }
        : { kind: 'rundeck', url, apiVersion, credential, project }
    }
    case 'jenkins': {
      const user = readString(ctx, kindFields.get('user'), `the user of ${what}`)
      if (user === undefined || credential === undefined) return undefined
      return { kind: 'jenkins', url, user, credential }
    }
    case 'github':
      return credential === undefined ? { kind: 'github', url } : { kind: 'github', url, credential }
    case 'http':
      return credential === undefined ? { kind: 'http', url } : { kind: 'http', url, credential }
  }
}

/** The kind each endpoint declares, read even when the rest of its definition is broken. */
export function endpointKindsIn(field: Field | undefined): Record<string, Endpoint['kind']> {
  const kinds: Record<string, Endpoint['kind']> = {}
  if (!isMap(field?.value)) return kinds
  for (const pair of field.value.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined
    const kind: unknown = isMap(pair.value) ? pair.value.get('kind') : undefined
    if (name !== undefined && typeof kind === 'string' && (endpointKinds as readonly string[]).includes(kind)) {
      kinds[name] = kind as Endpoint['kind']
    }
  }
  return kinds
}

/** Reads the `endpoints:` mapping: name → server Trainyard talks to. */
export function readEndpoints(ctx: ReadContext, field: Field | undefined): Record<string, Endpoint> {
  const endpoints: Record<string, Endpoint> = {}
  if (!field) return endpoints
  const entries = readEntries(ctx, field.value, field, 'endpoints', 'endpoint')
  for (const entry of entries?.list ?? []) {
    const endpoint = readEndpoint(ctx, entry)
    if (endpoint) endpoints[entry.name] = endpoint
  }
  return endpoints
}
