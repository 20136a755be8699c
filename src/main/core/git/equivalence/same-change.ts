import type { Sha } from '../../../../shared/models/workspace'
import { newestFirst } from './fill-order'
import { Known, type PatchIdTable } from './patch-id-table'
import type { TrailerLinks } from './trailer-links'

/** How an equivalent commit was recognised: a chain of cherry-pick trailers, or an equal patch-id. */
export type EquivalenceVia = 'trailer' | 'patch-id'

/** The commit that carries the same change, and how it was recognised. */
export interface Equivalent {
  sha: Sha
  via: EquivalenceVia
}

/** Ids a complete answer still needs: commits and what to compute for each. */
export type Missing = [number, 'header' | 'patch'][]

/**
 * Answers "which commit in the history of `d`, and not in that of `x`, is the same change as `x`?" from what the
 * table knows: trailers first (always complete), then equal patch-ids, among the commits whose header id equals that
 * of `x` or of a commit trailers link it to. When no match is found and ids that could change that are missing, it
 * lists them instead of saying "none".
 */
export function sameChangeIn(
  table: PatchIdTable,
  links: TrailerLinks,
  x: number,
  d: number,
): { answer: Equivalent | undefined } | { missing: Missing } {
  const index = table.index
  const candidate = (c: number): boolean => c !== x && index.isAncestorAt(c, d) && !index.isAncestorAt(c, x)
  const linked = links.closure(x)
  const byTrailer = newest(table, linked.filter(candidate))
  if (byTrailer !== undefined) return { answer: { sha: index.shaAt(byTrailer), via: 'trailer' } }
  const missing: Missing = []
  const sources = linked.filter((p) => {
    const state = table.known[p] as Known
    if (state === Known.Nothing || state === Known.Header) missing.push([p, 'patch'])
    return state === Known.Patch
  })
  if (table.count(Known.Nothing) > 0) {
    // Header groups are partial while header ids are being computed: the commits that could answer need theirs,
    // the candidates and the commits trailers link to a candidate.
    for (const c of index.rangeAt([x], d)) if (table.known[c] === Known.Nothing) missing.push([c, 'header'])
    for (const c of links.linked())
      if (table.known[c] === Known.Nothing && links.closure(c).some(candidate)) missing.push([c, 'header'])
  }
  const twins = new Set<number>()
  for (const p of sources) {
    for (const m of table.headerGroup(table.headerKey(p))) {
      if (m === p || twins.has(m)) continue
      const state = table.known[m] as Known
      if (state === Known.Patch) {
        if (table.samePatch(m, p)) twins.add(m)
      } else if (state === Known.Header && (candidate(m) || (links.has(m) && links.closure(m).some(candidate))))
        missing.push([m, 'patch'])
    }
  }
  const byPatch = newest(table, [...twins].flatMap((t) => links.closure(t)).filter(candidate))
  if (byPatch !== undefined) return { answer: { sha: index.shaAt(byPatch), via: 'patch-id' } }
  return missing.length > 0 ? { missing } : { answer: undefined }
}

/** The commit linked to `x` by trailers in the history of `d` and not of `x`: complete and cheap at any time. */
export function sameChangeByTrailer(
  table: PatchIdTable,
  links: TrailerLinks,
  x: number,
  d: number,
): number | undefined {
  const index = table.index
  return newest(
    table,
    links.closure(x).filter((c) => c !== x && index.isAncestorAt(c, d) && !index.isAncestorAt(c, x)),
  )
}

/** Every commit known to be the same change as `x`, anywhere: trailer links first, then equal patch-ids so far. */
export function knownTwins(
  table: PatchIdTable,
  links: TrailerLinks,
  x: number,
): { pos: number; via: EquivalenceVia }[] {
  const out = new Map<number, EquivalenceVia>()
  const linked = links.closure(x)
  for (const p of linked) if (p !== x) out.set(p, 'trailer')
  for (const p of linked) {
    if (table.known[p] !== Known.Patch) continue
    for (const m of table.headerGroup(table.headerKey(p)))
      if (m !== p && table.known[m] === Known.Patch && table.samePatch(m, p))
        for (const t of links.closure(m)) if (t !== x && !out.has(t)) out.set(t, 'patch-id')
  }
  return [...out].map(([pos, via]) => ({ pos, via }))
}

/** Commits with equal patch-ids on diverging lines and no trailer between them: [oldest twin, each other twin]. */
export function patchTwinPairs(table: PatchIdTable, links: TrailerLinks): [number, number][] {
  const index = table.index
  const out: [number, number][] = []
  for (const group of table.headerGroups()) {
    if (group.length < 2) continue
    const left = group.filter((p) => table.known[p] === Known.Patch)
    while (left.length > 1) {
      const first = left.shift() as number
      const same = [first, ...left.filter((p) => table.samePatch(p, first))]
      for (const p of same.slice(1)) left.splice(left.indexOf(p), 1)
      if (same.length < 2) continue
      const [original, ...copies] = newestFirst(table, same).reverse() as [number, ...number[]]
      const picked = new Set(links.closure(original))
      for (const copy of copies)
        if (!picked.has(copy) && !index.isAncestorAt(original, copy) && !index.isAncestorAt(copy, original))
          out.push([original, copy])
    }
  }
  return out
}

function newest(table: PatchIdTable, positions: number[]): number | undefined {
  return positions.length === 0 ? undefined : newestFirst(table, positions)[0]
}
