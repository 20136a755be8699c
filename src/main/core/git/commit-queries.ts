import type { CommitColumns } from './commit-columns'
import { LABELINGS } from './commit-reach-labels'
import { CommitWalker } from './commit-walker'

const LEFT = 1
const RIGHT = 2
const STALE = 4
const RESULT = 8

/** Ancestry questions over index positions; answers match git's merge-base and rev-list. */
export class CommitQueries {
  private readonly walker: CommitWalker
  private readonly seen: Uint32Array
  private epoch = 0
  private stack = new Int32Array(256)

  constructor(private readonly c: CommitColumns) {
    this.walker = new CommitWalker(c)
    this.seen = new Uint32Array(c.count)
  }

  /**
   * Whether `a` is `d` or an ancestor of it. Reachability labels answer most pairs at once; the rest
   * take a depth-first walk that skips every commit the labels, generation or corrected date rule out.
   */
  isAncestor(a: number, d: number): boolean {
    if (a === d) return true
    const { generation: gen, corrected: date, parents, parentStart } = this.c
    const minGen = gen[a] ?? 0
    const minDate = date[a] ?? 0
    if ((gen[d] ?? 0) <= minGen || (date[d] ?? 0) <= minDate) return false
    const verdict = this.labelVerdict(a, d)
    if (verdict !== undefined) return verdict
    if (++this.epoch === 0xffffffff) {
      this.seen.fill(0)
      this.epoch = 1
    }
    const epoch = this.epoch
    let stack = this.stack
    let top = 0
    stack[top++] = d
    while (top > 0) {
      const x = stack[--top] ?? 0
      const end = parentStart[x + 1] ?? 0
      for (let k = parentStart[x] ?? 0; k < end; k++) {
        const p = parents[k] ?? 0
        if (p === a) return true
        if (this.seen[p] === epoch || (gen[p] ?? 0) <= minGen || (date[p] ?? 0) <= minDate) continue
        this.seen[p] = epoch
        const v = this.labelVerdict(a, p)
        if (v === true) return true
        if (v === false) continue
        if (top === stack.length) {
          const bigger = new Int32Array(stack.length * 2)
          bigger.set(stack)
          this.stack = stack = bigger
        }
        stack[top++] = p
      }
    }
    return false
  }

  // true: a lies under d in some walk's tree; false: some labeling rules it out; undefined: no verdict.
  private labelVerdict(a: number, d: number): boolean | undefined {
    const { reach } = this.c
    const n = this.c.count
    let verdict: boolean | undefined
    for (let j = 0; j < LABELINGS; j++) {
      const base = 3 * j * n
      const postA = reach[base + 2 * n + a] ?? 0
      const postD = reach[base + 2 * n + d] ?? 0
      if (postA > postD || (reach[base + n + d] ?? 0) > (reach[base + n + a] ?? 0)) return false
      if ((reach[base + d] ?? 0) < postA) verdict = true
    }
    return verdict
  }

  /** Best common ancestors of `a` and `b` (git merge-base --all), by git's paint-down-to-common walk. */
  mergeBases(a: number, b: number): number[] {
    if (a === b) return [a]
    const w = this.walker
    w.begin(STALE)
    w.mark(a, LEFT)
    w.mark(b, RIGHT)
    const found: number[] = []
    while (w.hasLive) {
      const x = w.pop()
      let flags = (w.flags[x] ?? 0) & (LEFT | RIGHT | STALE)
      if (flags === (LEFT | RIGHT)) {
        if (((w.flags[x] ?? 0) & RESULT) === 0) {
          w.flags[x] = (w.flags[x] ?? 0) | RESULT
          found.push(x)
        }
        flags |= STALE
      }
      for (const p of w.parentsOf(x)) w.mark(p, flags)
    }
    const bases = found.filter((x) => ((w.flags[x] ?? 0) & STALE) === 0)
    w.reset()
    return this.removeRedundant(bases)
  }

  /** Commits reachable from `include` but from none of `excludes` (git rev-list include ^excludes…). */
  range(excludes: number[], include: number): number[] {
    const w = this.walker
    w.begin(RIGHT)
    for (const x of excludes) w.mark(x, RIGHT)
    w.mark(include, LEFT)
    while (w.hasLive) {
      const x = w.pop()
      const flags = w.flags[x] ?? 0
      const carry = flags & RIGHT ? RIGHT : LEFT
      for (const p of w.parentsOf(x)) {
        if (carry === LEFT && (w.flags[p] ?? 0) !== 0) continue
        w.mark(p, carry)
      }
    }
    const result: number[] = []
    w.forTouched((pos, flags) => {
      if (flags === LEFT) result.push(pos)
    })
    w.reset()
    return result
  }

  /** Commits only in `a`'s history (left) and only in `b`'s (right): git rev-list --left-right --count a...b. */
  leftRightCount(a: number, b: number): { left: number; right: number } {
    if (a === b) return { left: 0, right: 0 }
    const w = this.walker
    w.begin(LEFT | RIGHT)
    w.mark(a, LEFT)
    w.mark(b, RIGHT)
    while (w.hasLive) {
      const x = w.pop()
      const flags = w.flags[x] ?? 0
      for (const p of w.parentsOf(x)) w.mark(p, flags)
    }
    let left = 0
    let right = 0
    w.forTouched((_pos, flags) => {
      if (flags === LEFT) left++
      else if (flags === RIGHT) right++
    })
    w.reset()
    return { left, right }
  }

  private removeRedundant(bases: number[]): number[] {
    if (bases.length < 2) return bases
    return bases.filter((x) => !bases.some((y) => y !== x && this.isAncestor(x, y)))
  }
}
