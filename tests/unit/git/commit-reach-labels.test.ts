import { describe, expect, it } from 'vitest'
import { computeReachLabels, LABELINGS } from '../../../src/main/core/git/commit-reach-labels'

function randomDag(n: number, seed: number): { parentStart: Uint32Array; parents: Uint32Array } {
  let s = seed
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const lists: number[][] = []
  for (let i = 0; i < n; i++) {
    // Parents are later positions only, so the graph is acyclic; positions are otherwise shuffled.
    const k = i === n - 1 || rnd() < 0.05 ? 0 : rnd() < 0.2 ? 2 : 1
    const ps = new Set<number>()
    for (let j = 0; j < k; j++) ps.add(i + 1 + Math.floor(rnd() * Math.min(20, n - i - 1)))
    lists.push([...ps])
  }
  const parentStart = new Uint32Array(n + 1)
  const flat: number[] = []
  lists.forEach((ps, i) => {
    parentStart[i] = flat.length
    flat.push(...ps)
  })
  parentStart[n] = flat.length
  return { parentStart, parents: Uint32Array.from(flat) }
}

describe('reachability labels', () => {
  it.each([1, 2, 3])('never contradict brute-force reachability (seed %i)', (seed) => {
    const n = 250
    const { parentStart, parents } = randomDag(n, seed)
    const labels = computeReachLabels(n, parentStart, parents)
    const reach: Set<number>[] = []
    for (let i = n - 1; i >= 0; i--) {
      const set = new Set<number>([i])
      for (let k = parentStart[i] ?? 0; k < (parentStart[i + 1] ?? 0); k++)
        for (const x of reach[parents[k] ?? 0] ?? []) set.add(x)
      reach[i] = set
    }
    let proven = 0
    let ruledOut = 0
    for (let d = 0; d < n; d++) {
      for (let a = 0; a < n; a++) {
        const truth = reach[d]?.has(a) ?? false
        for (let j = 0; j < LABELINGS; j++) {
          const at = (block: number, i: number): number => labels[(3 * j + block) * n + i] ?? 0
          const contained = at(1, d) <= at(1, a) && at(2, a) <= at(2, d)
          const underInTree = at(0, d) < at(2, a) && at(2, a) <= at(2, d)
          if (truth) expect(contained, `labeling ${j}: ${a} under ${d}`).toBe(true)
          if (underInTree) expect(truth, `labeling ${j}: tree claims ${a} under ${d}`).toBe(true)
          if (!contained) ruledOut++
          if (underInTree) proven++
        }
      }
    }
    expect(proven).toBeGreaterThan(n)
    expect(ruledOut).toBeGreaterThan(n * n)
  })
})
