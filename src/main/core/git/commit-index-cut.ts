import { AppError } from '../../../shared/errors'
import type { CommitColumns } from './commit-columns'

/** What every answer that needs history a shallow clone has not fetched yet says (with AppError `not-ready`). */
export const HISTORY_LOADING = 'Not yet known: history still loading; ask again once the clone has its whole history.'

/** The error of an answer that needs history not fetched yet. */
export function historyLoading(service?: string): AppError {
  return new AppError('not-ready', service === undefined ? HISTORY_LOADING : `${service}: ${HISTORY_LOADING}`)
}

/**
 * The shallow boundary of a partial index, and which boundary commits each indexed commit reaches (a bit set per
 * commit). It decides whether an answer computed on the fetched graph is the true one:
 *
 * - every fetched edge is a real edge, so "a reaches b" found in the index is true;
 * - a path of the real history that leaves the fetched graph does so at a boundary commit (a fetched commit that
 *   is not on the boundary has all its parents fetched), so `a ∉ anc(d)` is certain once every boundary commit `d`
 *   reaches is also reached by `a` (`a` below one of them would make a cycle);
 * - `exclude..include` is exact when every commit of it reaches exactly the boundary the excludes reach together.
 *
 * Anything else is "not yet known" (`historyLoading`), never a guess.
 */
export class HistoryCut {
  private bits: Uint32Array | undefined
  private readonly words: number

  constructor(
    private readonly columns: CommitColumns,
    /** Index positions of the boundary commits (the clone's `shallow` file, those the index holds). */
    readonly boundary: readonly number[],
  ) {
    this.words = Math.max(1, Math.ceil(boundary.length / 32))
  }

  /** Whether `fetched` (`a` reaches `d` in the index) is the true answer of "is `a` an ancestor of `d`". */
  isAncestor(a: number, d: number, fetched: boolean): boolean {
    if (fetched || this.covers(a, [d])) return fetched
    throw historyLoading()
  }

  /** Checks that `range` (the index's `excludes..include`) is the true one, else throws `not-ready`. */
  checkRange(excludes: readonly number[], include: number, range: readonly number[]): void {
    if (range.length === 0) return
    // The boundary the excludes reach: its history is excluded whole, so nothing below it is missing from the range.
    const union = new Uint32Array(this.words)
    for (const e of excludes) {
      const b = this.of(e)
      for (let w = 0; w < this.words; w++) union[w] = (union[w] ?? 0) | (b[w] ?? 0)
    }
    for (const c of range) {
      const b = this.of(c)
      for (let w = 0; w < this.words; w++) if ((b[w] ?? 0) !== (union[w] ?? 0)) throw historyLoading()
    }
  }

  // Whether `a` reaches every boundary commit any of `ds` reaches.
  private covers(a: number, ds: readonly number[]): boolean {
    const ba = this.of(a)
    for (const d of ds) {
      const bd = this.of(d)
      for (let w = 0; w < this.words; w++) if (((bd[w] ?? 0) & ~(ba[w] ?? 0)) !== 0) return false
    }
    return true
  }

  private of(pos: number): Uint32Array {
    const bits = (this.bits ??= this.compute())
    return bits.subarray(pos * this.words, (pos + 1) * this.words)
  }

  // Parents before children (generation order), each commit's set the union of its parents' plus its own bit.
  private compute(): Uint32Array {
    const { count, generation, parentStart, parents } = this.columns
    const words = this.words
    const bits = new Uint32Array(count * words)
    this.boundary.forEach((pos, i) => {
      bits[pos * words + (i >> 5)] = (bits[pos * words + (i >> 5)] ?? 0) | (1 << (i & 31))
    })
    const order = Array.from({ length: count }, (_, i) => i).sort((x, y) => (generation[x] ?? 0) - (generation[y] ?? 0))
    for (const pos of order) {
      for (let k = parentStart[pos] ?? 0; k < (parentStart[pos + 1] ?? 0); k++) {
        const parent = parents[k] ?? 0
        for (let w = 0; w < words; w++)
          bits[pos * words + w] = (bits[pos * words + w] ?? 0) | (bits[parent * words + w] ?? 0)
      }
    }
    return bits
  }
}
