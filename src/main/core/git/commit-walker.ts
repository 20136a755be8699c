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
  /** How many times each commit sits in the queue, and how many queued entries are not yet stale. */
  private readonly queued: Uint16Array
  private live = 0
  private staleMask = 0

  constructor(private readonly c: CommitColumns) {
    this.flags = new Uint8Array(c.count)
    this.key = c.corrected
    this.touched = new Int32Array(64)
    this.heap = new Int32Array(64)
    this.queued = new Uint16Array(c.count)
  }

  /** Starts a query: a commit counts as stale once it carries every bit of `mask`. */
  begin(mask: number): void {
    this.staleMask = mask
  }

  /** Whether the queue still holds a commit that is not stale (git's "queue has non-stale"). */
  get hasLive(): boolean {
    return this.live > 0
  }

  /** Adds `flag` to commit `pos` and queues it when that changed anything. */
  mark(pos: number, flag: number): void {
    const old = this.flags[pos] ?? 0
    if ((old & flag) === flag) return
    if (old === 0) this.touch(pos)
    const now = old | flag
    this.flags[pos] = now
    const mask = this.staleMask
    // Entries already queued for this commit stop counting the moment it turns stale.
    if ((old & mask) !== mask && (now & mask) === mask) this.live -= this.queued[pos] ?? 0
    this.push(pos)
  }

  /** Pops the queued commit with the largest corrected date, or -1 when the queue is empty. */
  pop(): number {
    if (this.heapSize === 0) return -1
    const heap = this.heap
    const top = heap[0] ?? -1
    this.queued[top] = (this.queued[top] ?? 1) - 1
    if (((this.flags[top] ?? 0) & this.staleMask) !== this.staleMask) this.live--
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
    for (let i = 0; i < this.heapSize; i++) this.queued[this.heap[i] ?? 0] = 0
    this.touchedCount = 0
    this.heapSize = 0
    this.live = 0
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
    this.queued[pos] = (this.queued[pos] ?? 0) + 1
    if (((this.flags[pos] ?? 0) & this.staleMask) !== this.staleMask) this.live++
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
