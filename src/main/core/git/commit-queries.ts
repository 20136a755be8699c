import type { CommitColumns } from './commit-columns'
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

  /** Whether `a` is `d` or an ancestor of it: a depth-first walk that never goes below `a`'s generation or corrected date. */
  isAncestor(a: number, d: number): boolean {
    if (a === d) return true
    const { generation: gen, corrected: date, parents, parentStart } = this.c
    const minGen = gen[a] ?? 0
    const minDate = date[a] ?? 0
    if ((gen[d] ?? 0) <= minGen || (date[d] ?? 0) <= minDate) return false
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

  /** Best common ancestors of `a` and `b` (git merge-base --all), by git's paint-down-to-common walk. */
  mergeBases(a: number, b: number): number[] {
    if (a === b) return [a]
    const w = this.walker
    w.mark(a, LEFT)
    w.mark(b, RIGHT)
    const found: number[] = []
    while (w.queueHasWithout(STALE)) {
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
    for (const x of excludes) w.mark(x, RIGHT)
    w.mark(include, LEFT)
    while (w.queueHasWithout(RIGHT)) {
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
    w.mark(a, LEFT)
    w.mark(b, RIGHT)
    while (w.queueHasOtherThan(LEFT | RIGHT)) {
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
