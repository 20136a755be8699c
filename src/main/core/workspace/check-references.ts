import type { Endpoint } from '../../../shared/models/workspace'
import { suggestion } from './suggest'
import type { ReadContext, Reference } from './yaml-reader'
import { report } from './yaml-reader'

/** Names the file defines, whether or not their definitions were valid (so a broken one is not also "undefined"); undefined for a section that is missing or unreadable, whose references are then not checked. */
export type DefinedNames = Record<Reference['what'], string[] | undefined>

const sections: Record<Reference['what'], string> = {
  endpoint: 'endpoints',
  environment: 'environments',
  region: 'regions',
  service: 'services',
}

/** Reports every reference to an undefined name, and every endpoint used for something its kind cannot do (kinds are read even from endpoints with other problems). */
export function checkReferences(
  ctx: ReadContext,
  defined: DefinedNames,
  endpointKinds: Record<string, Endpoint['kind']>,
): void {
  for (const reference of ctx.references) {
    const names = defined[reference.what]
    if (names === undefined) continue
    const at = reference.node ?? 0
    if (!names.includes(reference.name)) {
      const close = suggestion(reference.name, names)
      const hint = close.startsWith('did you mean')
        ? close
        : `define it under \`${sections[reference.what]}:\`${names.length ? `, or ${close}` : ''}`
      report(ctx, at, `${reference.use} names ${reference.what} \`${reference.name}\`, which is not defined`, hint)
      continue
    }
    const kind = endpointKinds[reference.name]
    if (reference.what !== 'endpoint' || !kind || !reference.kinds || reference.kinds.includes(kind)) continue
    const wanted = reference.kinds.join(' or ')
    const fitting = Object.entries(endpointKinds)
      .filter(([, k]) => reference.kinds?.includes(k))
      .map(([name]) => `\`${name}\``)
    report(
      ctx,
      at,
      `\`${reference.name}\` is a ${kind} endpoint, but ${reference.use} needs a ${wanted} endpoint`,
      fitting.length
        ? `name a ${wanted} endpoint: ${fitting.join(', ')}`
        : `define a \`kind: ${wanted}\` endpoint under \`endpoints:\` and name it here`,
    )
  }
}
