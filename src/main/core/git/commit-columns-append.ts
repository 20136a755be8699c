import type { CommitColumns } from './commit-columns'
import type { ParsedCommit } from './commit-parse'
import { LABELINGS } from './commit-reach-labels'
import { memoryTexts } from './commit-texts'
import { writeHexOid } from './objects/oid-hex'
import { pullRequestFromSubject } from './pull-requests-from-subjects'

/**
 * The columns of `old` plus commits new since (after a fetch), without recomputing what the old commits had:
 * their parents, generations and corrected dates cannot change (new commits are never parents of indexed
 * ones), and the reachability labels of the new commits continue the old depth-first numbering, which keeps
 * GRAIL's guarantees (an old commit is finished before any new one is entered). The work is a merge of the
 * sorted names plus copies, so an update costs little more than reading the new commits.
 */
export function appendColumns(old: CommitColumns, fresh: ParsedCommit[]): CommitColumns {
  const n = old.count
  const added = sortedFresh(fresh.filter((c) => oldIndex(old, c.sha) < 0))
  const m = added.commits.length
  const count = n + m
  // Where each old and each new commit lands, and what sits at each final position.
  const oldTo = new Uint32Array(n)
  const newTo = new Uint32Array(m)
  const fromOld = new Int32Array(count)
  const oids = Buffer.allocUnsafe(count * 20)
  let i = 0
  let k = 0
  for (let p = 0; p < count; p++) {
    const takeOld = k >= m || (i < n && old.oids.compare(added.oids, k * 20, k * 20 + 20, i * 20, i * 20 + 20) < 0)
    if (takeOld) {
      old.oids.copy(oids, p * 20, i * 20, i * 20 + 20)
      oldTo[i] = p
      fromOld[p] = i++
    } else {
      added.oids.copy(oids, p * 20, k * 20, k * 20 + 20)
      newTo[k] = p
      fromOld[p] = -1 - k++
    }
  }
  const positionOfNew = new Map<string, number>()
  added.commits.forEach((c, j) => positionOfNew.set(c.sha, newTo[j] as number))
  const positionOf = (sha: string): number | undefined => positionOfNew.get(sha) ?? oldPosition(old, oldTo, sha)

  const parentStart = new Uint32Array(count + 1)
  const parentList: number[] = []
  const time = new Float64Array(count)
  const pr = new Uint32Array(count)
  const generation = new Uint32Array(count)
  const corrected = new Float64Array(count)
  const pickedFrom = new Map<number, string>()
  const texts: Buffer[] = []
  // The old texts may live in the index file; they are read once, here.
  const oldTexts = old.texts.whole()
  for (let p = 0; p < count; p++) {
    parentStart[p] = parentList.length
    const from = fromOld[p] as number
    if (from >= 0) {
      for (let e = old.parentStart[from] as number; e < (old.parentStart[from + 1] as number); e++)
        parentList.push(oldTo[old.parents[e] as number] as number)
      time[p] = old.time[from] as number
      pr[p] = old.pr[from] as number
      generation[p] = old.generation[from] as number
      corrected[p] = old.corrected[from] as number
      const picked = old.pickedFrom.get(from)
      if (picked !== undefined) pickedFrom.set(p, picked)
      texts.push(oldTexts.bytes.subarray(oldTexts.starts[3 * from], oldTexts.starts[3 * from + 3]))
    } else {
      const c = added.commits[-1 - from] as ParsedCommit
      for (const parent of c.parents) {
        const at = positionOf(parent)
        if (at !== undefined) parentList.push(at)
      }
      time[p] = c.time
      pr[p] = pullRequestFromSubject(c.subject) ?? 0
      if (c.pickedFrom !== undefined) pickedFrom.set(p, c.pickedFrom)
      texts.push(Buffer.from(c.authorName + c.authorEmail + c.subject, 'utf8'))
    }
  }
  parentStart[count] = parentList.length
  const parents = Uint32Array.from(parentList)
  const strings = Buffer.concat(texts)
  const stringStart = new Uint32Array(3 * count + 1)
  let offset = 0
  for (let p = 0; p < count; p++) {
    const from = fromOld[p] as number
    if (from >= 0) {
      const base = oldTexts.starts[3 * from] as number
      for (let s = 0; s < 3; s++) stringStart[3 * p + s] = offset + (oldTexts.starts[3 * from + s] as number) - base
    } else {
      const c = added.commits[-1 - from] as ParsedCommit
      stringStart[3 * p] = offset
      stringStart[3 * p + 1] = offset + Buffer.byteLength(c.authorName, 'utf8')
      stringStart[3 * p + 2] = (stringStart[3 * p + 1] as number) + Buffer.byteLength(c.authorEmail, 'utf8')
    }
    offset += (texts[p] as Buffer).length
  }
  stringStart[3 * count] = offset

  const order = parentsFirst(newTo, parentStart, parents, generation)
  for (const p of order) {
    let level = 0
    let date = time[p] as number
    for (let e = parentStart[p] as number; e < (parentStart[p + 1] as number); e++) {
      const q = parents[e] as number
      level = Math.max(level, generation[q] as number)
      date = Math.max(date, (corrected[q] as number) + 1)
    }
    generation[p] = level + 1
    corrected[p] = date
  }
  const reach = extendLabels(old, oldTo, order, count, parentStart, parents)
  return {
    count,
    oids,
    parentStart,
    parents,
    generation,
    corrected,
    time,
    pr,
    texts: memoryTexts(stringStart, strings),
    reach,
    pickedFrom,
  }
}

function sortedFresh(fresh: ParsedCommit[]): { commits: ParsedCommit[]; oids: Buffer } {
  const unique = [...new Map(fresh.map((c) => [c.sha, c])).values()]
  unique.sort((a, b) => (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0))
  const oids = Buffer.allocUnsafe(unique.length * 20)
  unique.forEach((c, j) => {
    if (!writeHexOid(c.sha, oids, j * 20)) oids.write(c.sha, j * 20, 20, 'hex')
  })
  return { commits: unique, oids }
}

function oldPosition(old: CommitColumns, oldTo: Uint32Array, sha: string): number | undefined {
  const at = oldIndex(old, sha)
  return at < 0 ? undefined : oldTo[at]
}

function oldIndex(old: CommitColumns, sha: string): number {
  const oid = Buffer.from(sha, 'hex')
  if (oid.length !== 20) return -1
  let lo = 0
  let hi = old.count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const c = old.oids.compare(oid, 0, 20, mid * 20, mid * 20 + 20)
    if (c === 0) return mid
    if (c < 0) lo = mid + 1
    else hi = mid
  }
  return -1
}

// The new commits' positions with every parent before its children (generation still 0 marks a new one).
function parentsFirst(newTo: Uint32Array, parentStart: Uint32Array, parents: Uint32Array, generation: Uint32Array) {
  const order: number[] = []
  const state = new Map<number, number>()
  for (const root of newTo) {
    if (state.has(root)) continue
    const stack = [root]
    state.set(root, 0)
    while (stack.length > 0) {
      const x = stack[stack.length - 1] as number
      let pushed = false
      for (let e = parentStart[x] as number; e < (parentStart[x + 1] as number); e++) {
        const q = parents[e] as number
        if (generation[q] !== 0 || state.has(q)) continue
        state.set(q, 0)
        stack.push(q)
        pushed = true
      }
      if (pushed) continue
      stack.pop()
      if (state.get(x) === 1) continue
      state.set(x, 1)
      order.push(x)
    }
  }
  return order
}

// Old labels moved to their new positions; new commits labeled by depth-first walks that go on numbering
// after the old ones (ranks n+1…), visiting parents in each labeling's own order.
function extendLabels(
  old: CommitColumns,
  oldTo: Uint32Array,
  order: number[],
  count: number,
  parentStart: Uint32Array,
  parents: Uint32Array,
): Uint32Array {
  const n = old.count
  const labels = new Uint32Array(3 * LABELINGS * count)
  const isNew = new Uint8Array(count)
  for (const p of order) isNew[p] = 1
  for (let j = 0; j < LABELINGS; j++) {
    for (let b = 0; b < 3; b++) {
      const from = old.reach.subarray((3 * j + b) * n, (3 * j + b + 1) * n)
      const to = labels.subarray((3 * j + b) * count, (3 * j + b + 1) * count)
      for (let i = 0; i < n; i++) to[oldTo[i] as number] = from[i] as number
    }
    const enter = labels.subarray(3 * j * count, (3 * j + 1) * count)
    const low = labels.subarray((3 * j + 1) * count, (3 * j + 2) * count)
    const post = labels.subarray((3 * j + 2) * count, (3 * j + 3) * count)
    const reversed = j % 2 === 1
    let rank = n
    const next = new Map<number, number>()
    const roots = reversed ? [...order] : [...order].reverse()
    for (const start of roots) {
      if (next.has(start)) continue
      const stack = [start]
      enter[start] = rank
      next.set(start, 0)
      while (stack.length > 0) {
        const x = stack[stack.length - 1] as number
        const first = parentStart[x] as number
        const degree = (parentStart[x + 1] as number) - first
        const k = next.get(x) as number
        if (k < degree) {
          next.set(x, k + 1)
          const q = parents[first + (reversed ? degree - 1 - k : k)] as number
          if (isNew[q] && !next.has(q)) {
            enter[q] = rank
            next.set(q, 0)
            stack.push(q)
          }
          continue
        }
        stack.pop()
        const r = ++rank
        post[x] = r
        let l = r
        for (let e = first; e < first + degree; e++) l = Math.min(l, low[parents[e] as number] as number)
        low[x] = l
      }
    }
  }
  return labels
}
