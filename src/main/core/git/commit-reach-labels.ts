/** How many independent depth-first labelings the index keeps (GRAIL's k). */
export const LABELINGS = 3

/**
 * Reachability labels (GRAIL, Yildirim et al. 2010) for instant ancestry answers. For each of
 * LABELINGS depth-first walks along parent edges, commit i gets `enter` (nodes finished before it
 * was entered), `post` (its post-order rank) and `low` (smallest post rank among its ancestors).
 * Then, in every labeling:
 *   a ancestor of d  ⇒  low[d] ≤ low[a] and post[a] ≤ post[d]   (so a failed check proves "no"), and
 *   enter[d] < post[a] ≤ post[d]  ⇒  a ancestor of d            (a sits under d in the walk's tree).
 * Layout: labeling j occupies `labels[3jn .. 3(j+1)n)` as enter, low, post blocks of n each.
 */
export function computeReachLabels(count: number, parentStart: Uint32Array, parents: Uint32Array): Uint32Array {
  const labels = new Uint32Array(3 * LABELINGS * count)
  const next = new Uint32Array(count)
  const stack = new Int32Array(count)
  for (let j = 0; j < LABELINGS; j++) {
    const enter = labels.subarray(3 * j * count, (3 * j + 1) * count)
    const low = labels.subarray((3 * j + 1) * count, (3 * j + 2) * count)
    const post = labels.subarray((3 * j + 2) * count, (3 * j + 3) * count)
    const reversed = j % 2 === 1
    next.fill(0)
    let rank = 0
    for (let s = 0; s < count; s++) {
      // Each labeling starts its walks at a different point of the (SHA-ordered, so random) positions.
      const rotated = (s + Math.floor((j * count) / LABELINGS)) % count
      const start = reversed ? count - 1 - rotated : rotated
      if (post[start] !== 0 || next[start] !== 0) continue
      let top = 0
      stack[top++] = start
      enter[start] = rank
      next[start] = 1
      while (top > 0) {
        const x = stack[top - 1] ?? 0
        const first = parentStart[x] ?? 0
        const degree = (parentStart[x + 1] ?? 0) - first
        // next[x] counts visited parent slots plus one, so 0 can mean "never entered".
        const k = (next[x] ?? 1) - 1
        if (k < degree) {
          next[x] = k + 2
          const p = parents[first + (reversed ? degree - 1 - k : k)] ?? 0
          if (next[p] === 0) {
            enter[p] = rank
            next[p] = 1
            stack[top++] = p
          }
          continue
        }
        top--
        const r = ++rank
        post[x] = r
        let l = r
        for (let i = first; i < first + degree; i++) {
          const pl = low[parents[i] ?? 0] ?? r
          if (pl < l) l = pl
        }
        low[x] = l
      }
    }
  }
  return labels
}
