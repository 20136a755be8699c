import type { CommitColumns } from './commit-columns'

/**
 * Scratch state for history walks over positions: per-commit flag bytes, the list of commits
 * touched (so a query clears only what it marked), and a max-heap keyed by corrected commit date.
 * Corrected dates strictly decrease from child to parent, so popping in heap order visits every
 * descendant before its ancestors: the property git's commit-graph walks rely on.
 */
export class CommitWalker {
  readonly flags: Uint8Array
  private readonly key: Float64Array
  private touched: Int32Array
  private touchedCount = 0
  private heap: Int32Array
  private heapSize = 0

  constructor(private readonly c: CommitColumns) {
    this.flags = new Uint8Array(c.count)
    this.key = c.corrected
    this.touched = new Int32Array(64)
    this.heap = new Int32Array(64)
  }

  /** Adds `flag` to commit `pos` and queues it when that changed anything. */
  mark(pos: number, flag: number): void {
    const old = this.flags[pos] ?? 0
    if ((old & flag) === flag) return
    if (old === 0) this.touch(pos)
    this.flags[pos] = old | flag
    this.push(pos)
  }

  /** Pops the queued commit with the largest corrected date, or -1 when the queue is empty. */
  pop(): number {
    if (this.heapSize === 0) return -1
    const heap = this.heap
    const top = heap[0] ?? -1
    const last = heap[--this.heapSize] ?? 0
    const lastKey = this.key[last] ?? 0
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= this.heapSize) break
      const r = l + 1
      const child = r < this.heapSize && (this.key[heap[r] ?? 0] ?? 0) > (this.key[heap[l] ?? 0] ?? 0) ? r : l
      const childPos = heap[child] ?? 0
      if ((this.key[childPos] ?? 0) <= lastKey) break
      heap[i] = childPos
      i = child
    }
    heap[i] = last
    return top
  }

  /** Whether some queued commit lacks every bit of `mask` (git's "queue has non-stale"). */
  queueHasWithout(mask: number): boolean {
    for (let i = 0; i < this.heapSize; i++) if (((this.flags[this.heap[i] ?? 0] ?? 0) & mask) === 0) return true
    return false
  }

  /** Whether some queued commit's flags differ from `all`. */
  queueHasOtherThan(all: number): boolean {
    for (let i = 0; i < this.heapSize; i++) if ((this.flags[this.heap[i] ?? 0] ?? 0) !== all) return true
    return false
  }

  /** Calls `visit` for every commit marked during this query. */
  forTouched(visit: (pos: number, flags: number) => void): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const pos = this.touched[i] ?? 0
      visit(pos, this.flags[pos] ?? 0)
    }
  }

  /** Clears every mark and the queue, ready for the next query. */
  reset(): void {
    for (let i = 0; i < this.touchedCount; i++) this.flags[this.touched[i] ?? 0] = 0
    this.touchedCount = 0
    this.heapSize = 0
  }

  /** Parents of `pos`, as a view on the index. */
  parentsOf(pos: number): Uint32Array {
    return this.c.parents.subarray(this.c.parentStart[pos] ?? 0, this.c.parentStart[pos + 1] ?? 0)
  }

  private touch(pos: number): void {
    if (this.touchedCount === this.touched.length) {
      const bigger = new Int32Array(this.touched.length * 2)
      bigger.set(this.touched)
      this.touched = bigger
    }
    this.touched[this.touchedCount++] = pos
  }

  private push(pos: number): void {
    if (this.heapSize === this.heap.length) {
      const bigger = new Int32Array(this.heap.length * 2)
      bigger.set(this.heap)
      this.heap = bigger
    }
    const heap = this.heap
    const k = this.key[pos] ?? 0
    let i = this.heapSize++
    while (i > 0) {
      const up = (i - 1) >> 1
      const upPos = heap[up] ?? 0
      if ((this.key[upPos] ?? 0) >= k) break
      heap[i] = upPos
      i = up
    }
    heap[i] = pos
  }
}
