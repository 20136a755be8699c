import { topoOrder } from './graph-order'

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
  /** Colour for the lane a branch tip opens (e.g. from the branch name); a running counter when undefined. */
  tipColor?: (position: number) => number | undefined
}

/**
 * The lane layout of a history, like `git log --graph`, in typed arrays (one entry per row).
 *
 * Geometry: a commit sits at (row, lane). Every edge to a parent runs in the parent's lane: it leaves
 * the child, bends into the parent's lane within the child's row, and runs straight down to the parent.
 * A lane is taken by one awaited commit at a time, so lines only meet at the commit they lead to.
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
  /** Slot states every CHECKPOINT rows (awaited position or -1, and colour), for `throughRows`. */
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
  // awaitedIn[position] = slot that waits for the commit, -1 when none does.
  const awaitedIn = new Int32Array(commits.count).fill(-1)
  let slotExpect = new Int32Array(16).fill(-1)
  let slotColor = new Int32Array(16)
  let width = 0
  let nextColor = 0
  const checkpoints: GraphLayout['checkpoints'] = []

  const freeSlot = (): number => {
    for (let s = 0; s < width; s++) if (slotExpect[s] === -1) return s
    if (width === slotExpect.length) {
      const expect = new Int32Array(width * 2).fill(-1)
      expect.set(slotExpect)
      const colors = new Int32Array(width * 2)
      colors.set(slotColor)
      slotExpect = expect
      slotColor = colors
    }
    return width++
  }

  for (let r = 0; r < rows; r++) {
    if (r % CHECKPOINT === 0) checkpoints.push({ expect: slotExpect.slice(0, width), color: slotColor.slice(0, width) })
    const c = order[r] ?? 0
    let a = awaitedIn[c] ?? -1
    if (a === -1) {
      a = freeSlot()
      slotColor[a] = options.tipColor?.(c) ?? nextColor++
    }
    lane[r] = a
    color[r] = slotColor[a] ?? 0
    slotExpect[a] = -1
    const end = parentStart[c + 1] ?? 0
    for (let k = parentStart[c] ?? 0; k < end; k++) {
      const p = parents[k] ?? 0
      if (rowOf[p] === -1 || awaitedIn[p] !== -1) continue
      // The first parent continues the commit's lane; other parents open a lane (a new colour).
      const s = k === parentStart[c] ? a : freeSlot()
      if (s !== a) slotColor[s] = nextColor++
      slotExpect[s] = p
      awaitedIn[p] = s
    }
  }
  return { rows, lanes: width, order, rowOf, lane, color, checkpoints }
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
    const a = layout.lane[r] ?? 0
    if (r >= start) {
      const lanes: ThroughRow['lanes'] = []
      for (let s = 0; s < layout.lanes; s++) if (s !== a && (expect[s] ?? -1) !== -1) lanes.push({ lane: s, color: colors[s] ?? 0 })
      out.push({ row: r, lanes })
    }
    // After a row, its lane is free unless a parent waits in it; every parent waits in its own lane.
    expect[a] = -1
    const c = layout.order[r] ?? 0
    const end = commits.parentStart[c + 1] ?? 0
    for (let k = commits.parentStart[c] ?? 0; k < end; k++) {
      const p = commits.parents[k] ?? 0
      const pr = layout.rowOf[p] ?? -1
      if (pr === -1) continue
      const s = layout.lane[pr] ?? 0
      expect[s] = p
      colors[s] = layout.color[pr] ?? 0
    }
  }
  return out
}
