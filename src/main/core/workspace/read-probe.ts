import { isScalar } from 'yaml'
import type { ProbeConfig } from '../../../shared/models/workspace'
import { probeFacet, probeKinds } from '../integrations/registry'
import { kindOf } from './job-fields'
import type { Field, ReadContext } from './yaml-reader'
import { readMap, report } from './yaml-reader'

/** Every key some probe kind takes, so a key of another kind is named as such. */
const allKeys = [...new Set(probeKinds.flatMap((kind) => probeFacet(kind).keys))]
const examples = probeKinds.flatMap((kind) => probeFacet(kind).examples)
const probeHint = `write one of ${examples.slice(0, -1).join(', ')} or ${examples.at(-1) ?? ''}`

/** Reads a probe: how to learn the SHA an environment runs. `use` names it in messages. */
export function readProbe(ctx: ReadContext, field: Field, use: string): ProbeConfig | undefined {
  if (isScalar(field.value) && field.value.value === 'none') return { kind: 'none' }
  const fields = readMap(ctx, field.value, field, { what: use, keys: allKeys })
  if (!fields) return undefined
  const kind = kindOf(ctx, fields, probeKinds, use, probeHint) as ProbeConfig['kind'] | undefined
  if (kind === undefined) return undefined
  const facet = probeFacet(kind)
  const allowed = facet.keys
  for (const extra of fields.list.filter((f) => !allowed.includes(f.name) && !probeKinds.includes(f.name as never))) {
    if (!allKeys.includes(extra.name)) continue
    const listed = allowed.map((k) => `\`${k}\``).join(', ')
    report(ctx, extra.key, `a ${kind} probe has no \`${extra.name}\``, `remove it; a ${kind} probe takes ${listed}`)
  }
  return facet.read(ctx, fields, use, field)
}
