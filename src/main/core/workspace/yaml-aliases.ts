import { isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml'
import type { Alias, Document, Node, Pair } from 'yaml'
import type { ReadContext } from './yaml-reader'
import { lineOf, report } from './yaml-reader'

/**
 * Most nodes the aliases of one file may produce. Teams write a deploy job once and repeat it per environment
 * (a few thousand nodes in a large estate); a "billion laughs" file asks for billions.
 */
export const MAX_ALIAS_NODES = 100_000

/** What one walk over the document in order finds: the anchor each alias names, and expanded sizes. */
interface AliasPlan {
  sources: Map<Alias, Node>
  problems: boolean
}

/** Where a node of the parsed file starts. */
function offsetOf(node: { range?: [number, number, number] | null }): number {
  return node.range?.[0] ?? 0
}

/** The children of a node in document order: a mapping's keys before their values. */
function childrenOf(node: unknown): unknown[] {
  if (isMap(node)) return node.items.flatMap((pair) => [pair.key, pair.value])
  if (isSeq(node)) return node.items
  if (isPair(node)) return [node.key, node.value]
  return []
}

/**
 * Resolves every alias to the last anchor of its name before it (as YAML says), in one walk without recursion,
 * and checks that expanding them stays finite and small: an alias inside the node it names would repeat
 * forever, and nested aliases that multiply past MAX_ALIAS_NODES are a bomb. Both are reported at the alias.
 */
function planAliases(doc: Document.Parsed, ctx: ReadContext): AliasPlan {
  const anchors = new Map<string, Node>()
  const sources = new Map<Alias, Node>()
  // Nodes entered and not yet left: the ancestors of the node being read.
  const open = new Set<unknown>()
  const size = new Map<unknown, number>()
  let produced = 0
  let problems = false
  const stack: { node: unknown; leaving: boolean }[] = [{ node: doc.contents, leaving: false }]
  while (stack.length > 0) {
    const { node, leaving } = stack.pop() as { node: unknown; leaving: boolean }
    if (node === null || node === undefined) continue
    if (leaving) {
      open.delete(node)
      size.set(
        node,
        childrenOf(node).reduce<number>((sum, child) => sum + (size.get(child) ?? 0), isPair(node) ? 0 : 1),
      )
      continue
    }
    if (isAlias(node)) {
      const source = anchors.get(node.source)
      // An alias to no anchor is a syntax error the parser has already reported.
      if (!source) continue
      sources.set(node, source)
      if (open.has(source)) {
        report(
          ctx,
          offsetOf(node),
          `\`*${node.source}\` is inside the node it repeats (\`&${node.source}\`, line ${lineOf(ctx, offsetOf(source))}), so it would repeat forever`,
          'an alias can only repeat a node written before it and outside it; write the nested part out',
        )
        problems = true
        size.set(node, 1)
        continue
      }
      const copied = size.get(source) ?? 1
      size.set(node, copied)
      if (produced <= MAX_ALIAS_NODES && (produced += copied) > MAX_ALIAS_NODES) {
        report(
          ctx,
          offsetOf(node),
          `the aliases up to \`*${node.source}\` repeat more than ${MAX_ALIAS_NODES.toLocaleString('en')} nodes (aliases of aliases multiply)`,
          'repeat a node a few times, not aliases of lists of aliases; write large parts out',
        )
        problems = true
      }
      continue
    }
    const anchor = (node as { anchor?: string }).anchor
    if (anchor !== undefined) anchors.set(anchor, node as Node)
    open.add(node)
    stack.push({ node, leaving: true })
    const children = childrenOf(node)
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], leaving: false })
  }
  return { sources, problems }
}

/**
 * Replaces every alias (`*name`) by a copy of its anchored node and folds merge keys (`<<: *defaults`) into their
 * mapping, keys written in the mapping winning. Copies keep their source positions, so a problem found in one points at
 * the anchor's text. Teams use anchors to write a deploy job once for several environments. Reports (and expands
 * nothing) when an alias repeats itself or the aliases would produce more than MAX_ALIAS_NODES nodes.
 */
export function expandAliases(doc: Document.Parsed, ctx: ReadContext): boolean {
  const { sources, problems } = planAliases(doc, ctx)
  if (problems) return false
  visit(doc, {
    // In document order an anchored node is complete (its own aliases replaced) before any alias to it.
    Alias: (_, alias) => sources.get(alias)?.clone() as Node | undefined,
  })
  visit(doc, {
    Map(_, map) {
      const merged: Pair[] = []
      map.items = map.items.filter((pair) => {
        if (!isScalar(pair.key) || pair.key.value !== '<<') return true
        const mergedSources = isSeq(pair.value) ? pair.value.items : [pair.value]
        for (const source of mergedSources) if (isMap(source)) merged.push(...source.items)
        return !mergedSources.every((source) => isMap(source))
      })
      const written = (key: unknown): boolean =>
        map.items.some((pair) => isScalar(pair.key) && isScalar(key) && pair.key.value === key.value)
      for (const pair of merged) if (!written(pair.key)) map.items.push(pair.clone())
    },
  })
  return true
}
