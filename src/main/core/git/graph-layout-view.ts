import { AppError } from '../../../shared/errors'
import type { GraphPage, GraphRow } from '../../../shared/models/graph'
import type { CommitIndex } from './commit-index'
import { layoutGraph, throughRows, type GraphLayout } from './graph-layout'

/** What a full refname shows as in the graph: a branch, a tag or a train; undefined for refs it hides. */
export type RefLabel = { kind: 'branch' | 'tag' | 'train'; name: string }

/** The graph's label for a full refname (`refs/remotes/origin/master` → branch `master`). */
export function refLabel(ref: string): RefLabel | undefined {
  if (ref.startsWith('refs/tags/train/')) return { kind: 'train', name: ref.slice('refs/tags/train/'.length) }
  if (ref.startsWith('refs/tags/')) return { kind: 'tag', name: ref.slice('refs/tags/'.length) }
  if (ref.startsWith('refs/heads/')) return { kind: 'branch', name: ref.slice('refs/heads/'.length) }
  if (ref.startsWith('refs/remotes/')) {
    const rest = ref.slice('refs/remotes/'.length)
    if (rest.endsWith('/HEAD')) return undefined
    return { kind: 'branch', name: rest.startsWith('origin/') ? rest.slice('origin/'.length) : rest }
  }
  return undefined
}

/** Labels of the commit at each index position, in ref order; also every branch name's tip. */
export function labelsOf(index: CommitIndex): {
  refs: Map<number, string[]>
  trains: Map<number, string[]>
  branches: Map<string, number[]>
} {
  const refs = new Map<number, string[]>()
  const trains = new Map<number, string[]>()
  const branches = new Map<string, number[]>()
  for (const [ref, sha] of [...index.refs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const label = refLabel(ref)
    const pos = index.positionOf(sha)
    if (!label || pos < 0) continue
    const into = label.kind === 'train' ? trains : refs
    const list = into.get(pos) ?? []
    if (!list.includes(label.name)) list.push(label.name)
    into.set(pos, list)
    if (label.kind === 'branch') branches.set(label.name, [...new Set([...(branches.get(label.name) ?? []), pos])])
  }
  return { refs, trains, branches }
}

/** Branch colours that do not depend on the order commits are met in (FNV-1a of the name). */
export function branchColor(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h % 1024
}

type Link = GraphPage['links'][number]

/** One laid-out graph of a service's index (whole or filtered to branches), turned into pages on demand. */
export class GraphView {
  readonly layout: GraphLayout
  private readonly labels: ReturnType<typeof labelsOf>
  private readonly links: Link[]

  constructor(
    private readonly index: CommitIndex,
    branches?: readonly string[],
  ) {
    this.labels = labelsOf(index)
    const tips = branches?.flatMap((b) => {
      const at = this.labels.branches.get(b)
      if (!at) throw new AppError('not-found', `No branch is called "${b}".`, { branch: b })
      return at
    })
    const branchAt = new Map<number, string>()
    for (const [name, positions] of this.labels.branches)
      for (const p of positions) if (!branchAt.has(p)) branchAt.set(p, name)
    const tipColor = (pos: number): number | undefined => {
      const name = branchAt.get(pos)
      return name === undefined ? undefined : branchColor(name)
    }
    const head = index.refs.get('refs/remotes/origin/HEAD')
    const main =
      head !== undefined
        ? index.positionOf(head)
        : (this.labels.branches.get('master') ?? this.labels.branches.get('main'))?.[0]
    this.layout = layoutGraph(index.columns, {
      tipColor,
      ...(tips ? { tips } : {}),
      ...(main !== undefined && main >= 0 ? { primary: main } : {}),
    })
    this.links = []
    for (const [copy, original] of index.columns.pickedFrom) {
      const from = index.positionOf(original)
      const fromRow = from < 0 ? -1 : (this.layout.rowOf[from] ?? -1)
      const toRow = this.layout.rowOf[copy] ?? -1
      if (fromRow < 0 || toRow < 0) continue
      this.links.push({ from: original, to: index.shaAt(copy), fromRow, toRow, via: 'trailer' })
    }
  }

  /**
   * Rows `offset` … `offset + limit - 1` with labels, pins (environment names by SHA), edges passing through and links
   * crossing them: the trailer links, plus `twins` (original → copy pairs found by patch-id, as known so far).
   */
  page(
    service: string,
    offset: number,
    limit: number,
    pins: ReadonlyMap<string, string[]>,
    twins: readonly (readonly [string, string])[] = [],
  ): GraphPage {
    const { layout, index } = this
    const start = Math.max(0, Math.min(offset, layout.rows))
    const end = Math.min(layout.rows, start + Math.max(0, limit))
    const rows: GraphRow[] = []
    for (let r = start; r < end; r++) rows.push(this.row(r, pins))
    return {
      service,
      total: layout.rows,
      lanes: layout.lanes,
      offset: start,
      rows,
      through: throughRows(layout, index.columns, start, end),
      links: [...this.links, ...this.patchLinks(twins)].filter(
        (l) => Math.min(l.fromRow, l.toRow) < end && Math.max(l.fromRow, l.toRow) >= start,
      ),
      branches: [...this.labels.branches.keys()].sort(),
    }
  }

  /** The row of a commit in this layout, or -1 when the layout does not hold it (a branch filter left it out). */
  rowOf(sha: string): number {
    const pos = this.index.positionOf(sha)
    return pos < 0 ? -1 : (this.layout.rowOf[pos] ?? -1)
  }

  private patchLinks(twins: readonly (readonly [string, string])[]): Link[] {
    const out: Link[] = []
    for (const [from, to] of twins) {
      const fromRow = this.layout.rowOf[this.index.positionOf(from)] ?? -1
      const toRow = this.layout.rowOf[this.index.positionOf(to)] ?? -1
      if (fromRow >= 0 && toRow >= 0) out.push({ from, to, fromRow, toRow, via: 'patch-id' })
    }
    return out
  }

  private row(r: number, pins: ReadonlyMap<string, string[]>): GraphRow {
    const { layout, index } = this
    const { parentStart, parents } = index.columns
    const pos = layout.order[r] ?? 0
    const record = index.recordAt(pos)
    const edges: GraphRow['parents'] = []
    const first = parentStart[pos] ?? 0
    for (let k = first; k < (parentStart[pos + 1] ?? 0); k++) {
      const p = parents[k] ?? 0
      const row = layout.rowOf[p] ?? -1
      // A first-parent edge runs down the child's lane (its colour); another parent's edge runs down the parent's.
      const color = k === first || row < 0 ? (layout.color[r] ?? 0) : (layout.color[row] ?? 0)
      edges.push({ sha: index.shaAt(p), row, lane: row < 0 ? -1 : (layout.lane[row] ?? 0), color })
    }
    return {
      sha: record.sha,
      row: r,
      lane: layout.lane[r] ?? 0,
      color: layout.color[r] ?? 0,
      parents: edges,
      subject: record.subject,
      author: record.authorName,
      time: record.time,
      refs: this.labels.refs.get(pos) ?? [],
      pins: pins.get(record.sha) ?? [],
      trains: this.labels.trains.get(pos) ?? [],
    }
  }
}
