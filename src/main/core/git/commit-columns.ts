import type { ParsedCommit } from './commit-parse'
import { computeReachLabels } from './commit-reach-labels'
import { pullRequestFromSubject } from './pull-requests-from-subjects'

/**
 * The commit index in columns, as git's commit-graph lays it out: commits sorted by SHA, and every
 * other column indexed by that position (parents as positions, in one flat list).
 */
export interface CommitColumns {
  count: number
  /** 20 bytes per commit, sorted. */
  oids: Buffer
  /** Parents of commit i are `parents[parentStart[i] .. parentStart[i+1])`. */
  parentStart: Uint32Array
  parents: Uint32Array
  /** Topological level: 1 for roots, else 1 + the largest parent level. */
  generation: Uint32Array
  /** Corrected commit date (git's generation v2): max(time, parents' + 1); strictly decreases along parents. */
  corrected: Float64Array
  /** Committer time, unix seconds. */
  time: Float64Array
  /** Pull request number, 0 when none. */
  pr: Uint32Array
  /** For commit i: author name, email and subject are strings 3i, 3i+1, 3i+2 of `strings`. */
  stringStart: Uint32Array
  strings: Buffer
  /** Reachability labels (see commit-reach-labels.ts). */
  reach: Uint32Array
  /** Position → SHA named by a "(cherry picked from commit X)" trailer. */
  pickedFrom: Map<number, string>
}

/** Lays out parsed commits in columns; parents outside the set (shallow or missing) are dropped. */
export function buildColumns(commits: ParsedCommit[]): CommitColumns {
  // Sort by the first 52 bits as a number (fast numeric compares); the full SHA breaks ties.
  const keys = commits.map((c) => parseInt(c.sha.slice(0, 13), 16))
  const order = commits.map((_, i) => i)
  order.sort((x, y) => (keys[x] ?? 0) - (keys[y] ?? 0) || compareText(commits[x]?.sha ?? '', commits[y]?.sha ?? ''))
  const sorted = order.map((i) => commits[i] as ParsedCommit)
  const count = sorted.length
  const position = new Map<string, number>()
  const oids = Buffer.allocUnsafe(count * 20)
  sorted.forEach((c, i) => {
    position.set(c.sha, i)
    oids.write(c.sha, i * 20, 20, 'hex')
  })

  const parentStart = new Uint32Array(count + 1)
  const parentList: number[] = []
  const time = new Float64Array(count)
  const pr = new Uint32Array(count)
  const pickedFrom = new Map<number, string>()
  const texts: string[] = []
  sorted.forEach((c, i) => {
    parentStart[i] = parentList.length
    for (const p of c.parents) {
      const at = position.get(p)
      if (at !== undefined) parentList.push(at)
    }
    time[i] = c.time
    pr[i] = pullRequestFromSubject(c.subject) ?? 0
    if (c.pickedFrom !== undefined) pickedFrom.set(i, c.pickedFrom)
    texts.push(c.authorName, c.authorEmail, c.subject)
  })
  parentStart[count] = parentList.length

  const strings = Buffer.from(texts.join(''), 'utf8')
  const stringStart = new Uint32Array(texts.length + 1)
  let offset = 0
  texts.forEach((t, i) => {
    stringStart[i] = offset
    offset += Buffer.byteLength(t, 'utf8')
  })
  stringStart[texts.length] = offset

  const parents = Uint32Array.from(parentList)
  const { generation, corrected } = computeGenerations(count, parentStart, parents, time)
  const reach = computeReachLabels(count, parentStart, parents)
  return { count, oids, parentStart, parents, generation, corrected, time, pr, stringStart, strings, reach, pickedFrom }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Generation numbers and corrected dates by an iterative depth-first walk (histories are too deep to recurse). */
function computeGenerations(
  count: number,
  parentStart: Uint32Array,
  parents: Uint32Array,
  time: Float64Array,
): { generation: Uint32Array; corrected: Float64Array } {
  const generation = new Uint32Array(count)
  const corrected = new Float64Array(count)
  const stack = new Int32Array(count + parents.length + 1)
  for (let root = 0; root < count; root++) {
    if (generation[root] !== 0) continue
    let top = 0
    stack[top++] = root
    while (top > 0) {
      const c = stack[top - 1] ?? 0
      if (generation[c] !== 0) {
        top--
        continue
      }
      let ready = true
      let level = 0
      let date = time[c] ?? 0
      const end = parentStart[c + 1] ?? 0
      for (let k = parentStart[c] ?? 0; k < end; k++) {
        const p = parents[k] ?? 0
        const g = generation[p] ?? 0
        if (g === 0) {
          ready = false
          stack[top++] = p
        } else {
          if (g > level) level = g
          const d = (corrected[p] ?? 0) + 1
          if (d > date) date = d
        }
      }
      if (ready) {
        generation[c] = level + 1
        corrected[c] = date
        top--
      }
    }
  }
  return { generation, corrected }
}
