import type { GraphCommits } from './graph-layout'

/**
 * Commit positions newest first with every child before its parents (git log --date-order): among
 * the commits whose children are all placed, the newest commit time goes next, ties by position.
 * With `tips`, only the commits reachable from them.
 */
export function topoOrder(commits: GraphCommits, tips?: readonly number[]): Uint32Array {
  const { count, parentStart, parents, time } = commits
  const included = tips ? reachable(commits, tips) : undefined
  const children = new Uint32Array(count)
  let total = 0
  for (let c = 0; c < count; c++) {
    if (included && included[c] === 0) continue
    total++
    const end = parentStart[c + 1] ?? 0
    for (let k = parentStart[c] ?? 0; k < end; k++) {
      const p = parents[k] ?? 0
      children[p] = (children[p] ?? 0) + 1
    }
  }

  // A binary max-heap of positions on (time, -position).
  const heap = new Uint32Array(total)
  let size = 0
  const before = (x: number, y: number): boolean => {
    const tx = time[x] ?? 0
    const ty = time[y] ?? 0
    return tx > ty || (tx === ty && x < y)
  }
  const push = (c: number): void => {
    let i = size++
    while (i > 0) {
      const up = (i - 1) >> 1
      const u = heap[up] ?? 0
      if (!before(c, u)) break
      heap[i] = u
      i = up
    }
    heap[i] = c
  }
  const pop = (): number => {
    const top = heap[0] ?? 0
    const last = heap[--size] ?? 0
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= size) break
      const r = l + 1
      const child = r < size && before(heap[r] ?? 0, heap[l] ?? 0) ? r : l
      const cv = heap[child] ?? 0
      if (!before(cv, last)) break
      heap[i] = cv
      i = child
    }
    heap[i] = last
    return top
  }

  for (let c = 0; c < count; c++) if ((!included || included[c] === 1) && children[c] === 0) push(c)
  const order = new Uint32Array(total)
  let n = 0
  while (size > 0) {
    const c = pop()
    order[n++] = c
    const end = parentStart[c + 1] ?? 0
    for (let k = parentStart[c] ?? 0; k < end; k++) {
      const p = parents[k] ?? 0
      const left = (children[p] ?? 0) - 1
      children[p] = left
      if (left === 0) push(p)
    }
  }
  return order
}

/** 1 for every commit reachable from the tips (by any parent), else 0. */
function reachable(commits: GraphCommits, tips: readonly number[]): Uint8Array {
  const { count, parentStart, parents } = commits
  const seen = new Uint8Array(count)
  const stack = new Uint32Array(count)
  let top = 0
  for (const t of tips) {
    if (t < count && seen[t] === 0) {
      seen[t] = 1
      stack[top++] = t
    }
  }
  while (top > 0) {
    const c = stack[--top] ?? 0
    const end = parentStart[c + 1] ?? 0
    for (let k = parentStart[c] ?? 0; k < end; k++) {
      const p = parents[k] ?? 0
      if (seen[p] === 0) {
        seen[p] = 1
        stack[top++] = p
      }
    }
  }
  return seen
}
