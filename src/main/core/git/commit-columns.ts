import type { ParsedCommit } from './commit-parse'
import { computeReachLabels } from './commit-reach-labels'
import { memoryTexts, type CommitTexts } from './commit-texts'
import { writeHexOid } from './objects/oid-hex'
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
  /** Author name, email and subject of each commit. */
  texts: CommitTexts
  /** Reachability labels (see commit-reach-labels.ts). */
  reach: Uint32Array
  /** Position → SHA named by a "(cherry picked from commit X)" trailer. */
  pickedFrom: Map<number, string>
}

/** Lays out parsed commits in columns; parents outside the set (shallow or missing) are dropped. */
export function buildColumns(commits: ParsedCommit[]): CommitColumns {
  const count = commits.length
  const unsorted = Buffer.allocUnsafe(count * 20)
  for (let i = 0; i < count; i++) writeOid(unsorted, i * 20, (commits[i] as ParsedCommit).sha)
  const order = shaOrder(unsorted, count)
  const sorted: ParsedCommit[] = new Array<ParsedCommit>(count)
  const position = new Map<string, number>()
  const oids = Buffer.allocUnsafe(count * 20)
  for (let i = 0; i < count; i++) {
    const from = order[i] ?? 0
    const c = commits[from] as ParsedCommit
    sorted[i] = c
    position.set(c.sha, i)
    for (let k = 0; k < 20; k++) oids[i * 20 + k] = unsorted[from * 20 + k] ?? 0
  }

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
    offset += utf8Length(t)
  })
  stringStart[texts.length] = offset

  const parents = Uint32Array.from(parentList)
  const { generation, corrected } = computeGenerations(count, parentStart, parents, time)
  const reach = computeReachLabels(count, parentStart, parents)
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

// Buffer.byteLength(text, 'utf8') without a native call per string (lone surrogates become U+FFFD, 3 bytes).
function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) bytes += 1
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2
      i++
    } else bytes += 2
  }
  return bytes
}

function writeOid(out: Buffer, at: number, sha: string): void {
  if (!writeHexOid(sha, out, at)) out.write(sha, at, 20, 'hex')
}

// Positions 0..count-1 ordered by the 20-byte names in `oids`. Sorting numbers natively beats a
// comparator: each key is a name's leading 32 bits times 2^21 plus its position (exact in a double
// while count < 2^21); runs sharing the leading 32 bits are then put in order by their full names.
function shaOrder(oids: Buffer, count: number): Uint32Array {
  const order = new Uint32Array(count)
  if (count >= 2 ** 21) {
    for (let i = 0; i < count; i++) order[i] = i
    return order.sort((x, y) => oids.compare(oids, y * 20, y * 20 + 20, x * 20, x * 20 + 20))
  }
  const keys = new Float64Array(count)
  for (let i = 0; i < count; i++) keys[i] = oids.readUInt32BE(i * 20) * 2 ** 21 + i
  keys.sort()
  for (let i = 0; i < count; i++) order[i] = (keys[i] ?? 0) % 2 ** 21
  for (let start = 0; start < count;) {
    const head = oids.readUInt32BE((order[start] ?? 0) * 20)
    let end = start + 1
    while (end < count && oids.readUInt32BE((order[end] ?? 0) * 20) === head) end++
    if (end - start > 1)
      order.subarray(start, end).sort((x, y) => oids.compare(oids, y * 20, y * 20 + 20, x * 20, x * 20 + 20))
    start = end
  }
  return order
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
