import { topoOrder } from './graph-layout-order'

/** The commits a graph is laid out over: the commit index's columns, positions as ids. */
export interface GraphCommits {
  count: number
  /** Parents of commit i are `parents[parentStart[i] .. parentStart[i+1])`, first parent first. */
  parentStart: Uint32Array
  parents: Uint32Array
  /** Commit time, unix seconds (newer commits come first among those free to go). */
  time: Float64Array
}

/** What to lay out: only the history of these tips (positions), and the colour of a lane opened at a tip. */
export interface GraphLayoutOptions {
  tips?: readonly number[]
  /** The main branch's tip: lane 0 is kept for it, so the main line runs down the left edge. */
  primary?: number
  /** Colour for the lane a branch tip opens (e.g. from the branch name); a running counter when undefined. */
  tipColor?: (position: number) => number | undefined
}

/**
 * The lane layout of a history, like `git log --graph`, in typed arrays (one entry per row).
 *
 * Geometry (what the drawing relies on): a commit sits at (row, lane). The edge to a first parent runs
 * down the child's lane and bends into the parent's lane within the parent's row; the edge to another
 * parent bends into the parent's lane within the child's row and runs down that lane. So a lane that
 * passes row r-1 and not row r ends in the commit of row r.
 */
export interface GraphLayout {
  rows: number
  /** Widest row of the layout. */
  lanes: number
  /** Row → commit position. */
  order: Uint32Array
  /** Commit position → row, -1 when the commit is not in the layout. */
  rowOf: Int32Array
  lane: Uint32Array
  color: Uint32Array
  /** Slot states before every CHECKPOINT-th row (awaited position or -1, and colour), for `throughRows`. */
  checkpoints: { expect: Int32Array; color: Int32Array }[]
}

/** Rows between slot checkpoints of a layout. */
export const CHECKPOINT = 256

/** Lays out the history (or the part reachable from `options.tips`) newest first, children before parents. */
export function layoutGraph(commits: GraphCommits, options: GraphLayoutOptions = {}): GraphLayout {
  const { parentStart, parents } = commits
  const order = topoOrder(commits, options.tips)
  const rows = order.length
  const rowOf = new Int32Array(commits.count).fill(-1)
  for (let r = 0; r < rows; r++) rowOf[order[r] ?? 0] = r
  const lane = new Uint32Array(rows)
  const color = new Uint32Array(rows)
  // sitsIn[p]: the lane commit p will sit in (-1 while nothing waits for it); pinned once a merge edge runs in it.
  const sitsIn = new Int32Array(commits.count).fill(-1)
  const pinned = new Uint8Array(commits.count)
  // How many lanes wait for a commit: more than one only where branches fork from it.
  const waiting = new Uint32Array(commits.count)
  const slots = new Slots()
  if (options.primary !== undefined && (rowOf[options.primary] ?? -1) >= 0) slots.reserved = slots.free()
  let nextColor = 0
  const checkpoints: GraphLayout['checkpoints'] = []

  for (let r = 0; r < rows; r++) {
    if (r % CHECKPOINT === 0) checkpoints.push(slots.snapshot())
    const c = order[r] ?? 0
    let a = sitsIn[c] ?? -1
    if (a === -1 && c === options.primary && slots.reserved !== -1) {
      a = slots.reserved
      slots.reserved = -1
      slots.color[a] = options.tipColor?.(c) ?? nextColor++
    } else if (a === -1) {
      a = slots.free()
      slots.color[a] = options.tipColor?.(c) ?? nextColor++
    }
    lane[r] = a
    color[r] = slots.color[a] ?? 0
    if ((waiting[c] ?? 0) > 1) slots.release(c)
    else slots.expect[a] = -1
    const end = parentStart[c + 1] ?? 0
    for (let k = parentStart[c] ?? 0; k < end; k++) {
      const p = parents[k] ?? 0
      if (rowOf[p] === -1) continue
      const at = sitsIn[p] ?? -1
      if (k === parentStart[c]) {
        // The first parent continues the commit's lane; the parent sits in the leftmost lane waiting for it.
        slots.expect[a] = p
        waiting[p] = (waiting[p] ?? 0) + 1
        if (at === -1 || (pinned[p] === 0 && a < at)) sitsIn[p] = a
      } else if (at !== -1) {
        pinned[p] = 1
      } else {
        const s = slots.free()
        slots.color[s] = nextColor++
        slots.expect[s] = p
        waiting[p] = (waiting[p] ?? 0) + 1
        sitsIn[p] = s
        pinned[p] = 1
      }
    }
  }
  return { rows, lanes: slots.width, order, rowOf, lane, color, checkpoints }
}

/** Lanes as slots: the commit each waits for (-1 when free) and its colour. */
class Slots {
  expect = new Int32Array(16).fill(-1)
  color = new Int32Array(16)
  width = 0
  /** A lane kept free for the main branch until its tip is met, -1 when none. */
  reserved = -1

  /** The lowest free lane. */
  free(): number {
    for (let s = 0; s < this.width; s++) if (this.expect[s] === -1 && s !== this.reserved) return s
    if (this.width === this.expect.length) {
      const expect = new Int32Array(this.width * 2).fill(-1)
      expect.set(this.expect)
      const color = new Int32Array(this.width * 2)
      color.set(this.color)
      this.expect = expect
      this.color = color
    }
    return this.width++
  }

  /** Frees every lane waiting for commit `c`. */
  release(c: number): void {
    for (let s = 0; s < this.width; s++) if (this.expect[s] === c) this.expect[s] = -1
  }

  snapshot(): { expect: Int32Array; color: Int32Array } {
    return { expect: this.expect.slice(0, this.width), color: this.color.slice(0, this.width) }
  }
}

/** One row's pass-through lanes: lanes with a line crossing the row and no commit on it. */
export interface ThroughRow {
  row: number
  lanes: { lane: number; color: number }[]
}

/** The pass-through lanes of rows `from` … `to - 1`, replayed from the nearest checkpoint. */
export function throughRows(layout: GraphLayout, commits: GraphCommits, from: number, to: number): ThroughRow[] {
  const start = Math.max(0, Math.min(from, layout.rows))
  const stop = Math.max(start, Math.min(to, layout.rows))
  const base = Math.floor(start / CHECKPOINT)
  const checkpoint = layout.checkpoints[base]
  if (!checkpoint) return []
  const expect = new Int32Array(layout.lanes).fill(-1)
  const colors = new Int32Array(layout.lanes)
  expect.set(checkpoint.expect)
  colors.set(checkpoint.color)
  const out: ThroughRow[] = []
  for (let r = base * CHECKPOINT; r < stop; r++) {
    const c = layout.order[r] ?? 0
    const a = layout.lane[r] ?? 0
    if (r >= start) {
      const lanes: ThroughRow['lanes'] = []
      for (let s = 0; s < layout.lanes; s++) {
        const awaited = expect[s] ?? -1
        if (s !== a && awaited !== -1 && awaited !== c) lanes.push({ lane: s, color: colors[s] ?? 0 })
      }
      out.push({ row: r, lanes })
    }
    // After a row, the lanes that waited for it are free; its first parent waits in its lane, others in theirs.
    for (let s = 0; s < layout.lanes; s++) if (expect[s] === c) expect[s] = -1
    expect[a] = -1
    const first = commits.parentStart[c] ?? 0
    const end = commits.parentStart[c + 1] ?? 0
    for (let k = first; k < end; k++) {
      const p = commits.parents[k] ?? 0
      const pr = layout.rowOf[p] ?? -1
      if (pr === -1) continue
      const s = k === first ? a : (layout.lane[pr] ?? 0)
      expect[s] = p
      colors[s] = k === first ? (layout.color[r] ?? 0) : (layout.color[pr] ?? 0)
    }
  }
  return out
}
