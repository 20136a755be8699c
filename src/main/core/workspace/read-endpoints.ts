import { isMap, isScalar } from 'yaml'
import type { Endpoint } from '../../../shared/models/workspace'
import { endpointFacet, endpointKinds } from '../integrations/registry'
import { readUrl } from './read-url'
import type { Field, ReadContext } from './yaml-reader'
import { readEntries, readMap, readString, report } from './yaml-reader'

/** Every field some endpoint kind takes, so a field of another kind is named as such. */
const allKeys = [...new Set(endpointKinds.flatMap((kind) => endpointFacet(kind).keys))]

function readEndpoint(ctx: ReadContext, field: Field): Endpoint | undefined {
  const what = `endpoint \`${field.name}\``
  const kindFields = readMap(ctx, field.value, field, { what, keys: ['kind', ...allKeys], required: ['kind'] })
  if (!kindFields) return undefined
  const kind = readString(ctx, kindFields.get('kind'), `the kind of ${what}`)
  if (kind === undefined) return undefined
  if (!(endpointKinds as readonly string[]).includes(kind)) {
    report(
      ctx,
      kindFields.get('kind') ?? field,
      `unknown endpoint kind \`${kind}\``,
      `use one of: ${endpointKinds.join(', ')}`,
    )
    return undefined
  }
  const facet = endpointFacet(kind as Endpoint['kind'])
  const known = ['kind', ...facet.keys]
  for (const extra of kindFields.list.filter((f) => allKeys.includes(f.name) && !known.includes(f.name))) {
    report(
      ctx,
      extra.key,
      `a ${kind} endpoint has no \`${extra.name}\``,
      `remove it; a ${kind} endpoint takes ${known.map((k) => `\`${k}\``).join(', ')}`,
    )
  }
  for (const name of facet.required) {
    if (!kindFields.get(name))
      report(ctx, kindFields.node, `${what} is missing \`${name}\``, `add \`${name}: …\`; a ${kind} endpoint needs it`)
  }
  const url = kindFields.get('url') ? readUrl(ctx, kindFields.get('url'), `the url of ${what}`) : facet.defaultUrl
  const credential = readString(ctx, kindFields.get('credential'), `the credential of ${what}`)
  if (url === undefined) return undefined
  return facet.read(ctx, kindFields, what, { url, credential })
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
