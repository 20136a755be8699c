import { Known, type PatchIdTable } from './patch-id-table'

/** One step of background work: a commit and what to compute for it. */
export interface FillStep {
  pos: number
  want: 'header' | 'patch'
}

/** How far the background work is: header ids of every commit first, then patch-ids where header ids collide. */
export interface FillProgress {
  phase: 'header ids' | 'patch-ids' | 'complete'
  done: number
  total: number
}

/**
 * The order of the background work on one table: commits a question is waiting for first, then every header id
 * newest first (recent history is asked about most), then the patch-ids of commits whose header id another commit
 * shares, newest first. Commits a question computed meanwhile are skipped.
 */
export class FillOrder {
  private readonly urgent = new Set<number>()
  private plan: { phase: 'header ids' | 'patch-ids'; order: ArrayLike<number>; next: number } | undefined

  constructor(private readonly table: PatchIdTable) {}

  /** Puts commits a question needs at the front. */
  hurry(positions: Iterable<number>): void {
    for (const pos of positions) this.urgent.add(pos)
  }

  /** The next step, or undefined when the table is complete. */
  next(): FillStep | undefined {
    const { table } = this
    for (const pos of this.urgent) {
      this.urgent.delete(pos)
      const state = table.known[pos] as Known
      if (state === Known.Nothing) return { pos, want: 'header' }
      if (state === Known.Header) return { pos, want: 'patch' }
    }
    for (;;) {
      if (this.plan === undefined) {
        if (table.count(Known.Nothing) > 0) this.plan = { phase: 'header ids', order: this.everyCommit(), next: 0 }
        else {
          const waiting = newestFirst(table, this.patchesWaiting())
          if (waiting.length === 0) return undefined
          this.plan = { phase: 'patch-ids', order: waiting, next: 0 }
        }
      }
      const plan = this.plan
      while (plan.next < plan.order.length) {
        const pos = plan.order[plan.next++] as number
        const state = table.known[pos] as Known
        if (plan.phase === 'header ids' && state === Known.Nothing) return { pos, want: 'header' }
        if (plan.phase === 'patch-ids' && state === Known.Header) return { pos, want: 'patch' }
      }
      this.plan = undefined
    }
  }

  /** How far the work is. */
  progress(): FillProgress {
    const { table } = this
    const total = table.index.size
    const unknown = table.count(Known.Nothing)
    if (unknown > 0) return { phase: 'header ids', done: total - unknown, total }
    const waiting = this.patchesWaiting().length
    if (waiting === 0) return { phase: 'complete', done: total, total }
    const needed = waiting + table.count(Known.Patch)
    return { phase: 'patch-ids', done: needed - waiting, total: needed }
  }

  // Commits whose header id another commit shares and whose patch-id is not computed yet.
  private patchesWaiting(): number[] {
    const out: number[] = []
    for (const group of this.table.headerGroups())
      if (group.length > 1) for (const pos of group) if (this.table.known[pos] === Known.Header) out.push(pos)
    return out
  }

  // Held for the whole fill (hours on a long history): 4 bytes a commit, not a JS array's 8.
  private everyCommit(): Uint32Array {
    const all = new Uint32Array(this.table.index.size)
    for (let i = 0; i < all.length; i++) all[i] = i
    return heapSort(all, newestFirstOrder(this.table))
  }
}

/** Positions sorted newest commit first (commit time, then generation, then position: a stable order). */
export function newestFirst(table: PatchIdTable, positions: number[]): number[] {
  return positions.sort(newestFirstOrder(table))
}

function newestFirstOrder(table: PatchIdTable): (a: number, b: number) => number {
  const { time, generation } = table.index.columns
  return (a, b) => (time[b] ?? 0) - (time[a] ?? 0) || (generation[b] ?? 0) - (generation[a] ?? 0) || a - b
}

// In place: a typed array's own sort with a comparator copies it into two work arrays of 8 bytes an element.
function heapSort(a: Uint32Array, compare: (x: number, y: number) => number): Uint32Array {
  const sift = (root: number, end: number): void => {
    for (let parent = root; ;) {
      let child = 2 * parent + 1
      if (child >= end) return
      if (child + 1 < end && compare(a[child] as number, a[child + 1] as number) < 0) child++
      if (compare(a[parent] as number, a[child] as number) >= 0) return
      swap(a, parent, child)
      parent = child
    }
  }
  for (let i = (a.length >>> 1) - 1; i >= 0; i--) sift(i, a.length)
  for (let end = a.length - 1; end > 0; end--) {
    swap(a, 0, end)
    sift(0, end)
  }
  return a
}

function swap(a: Uint32Array, i: number, j: number): void {
  const t = a[i] as number
  a[i] = a[j] as number
  a[j] = t
}
