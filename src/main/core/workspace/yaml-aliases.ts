import { isMap, isScalar, isSeq, visit } from 'yaml'
import type { Document, Node, Pair } from 'yaml'

/** Most alias expansions one file may cause; beyond it (a self-referencing anchor) aliases are left for the reader to reject. */
const expansionLimit = 10_000

/**
 * Replaces every alias (`*name`) by a copy of its anchored node and folds merge keys (`<<: *defaults`) into their
 * mapping, keys written in the mapping winning. Copies keep their source positions, so a problem found in one points at
 * the anchor's text. Teams use anchors to write a deploy job once for several environments.
 */
export function expandAliases(doc: Document.Parsed): void {
  let expansions = 0
  visit(doc, {
    Alias(_, alias) {
      if (++expansions > expansionLimit) return visit.BREAK
      const source = alias.resolve(doc)
      return source ? (source.clone() as Node) : undefined
    },
  })
  visit(doc, {
    Map(_, map) {
      const merged: Pair[] = []
      map.items = map.items.filter((pair) => {
        if (!isScalar(pair.key) || pair.key.value !== '<<') return true
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value]
        for (const source of sources) if (isMap(source)) merged.push(...source.items)
        return !sources.every((source) => isMap(source))
      })
      const written = (key: unknown): boolean =>
        map.items.some((pair) => isScalar(pair.key) && isScalar(key) && pair.key.value === key.value)
      for (const pair of merged) if (!written(pair.key)) map.items.push(pair.clone())
    },
  })
}
