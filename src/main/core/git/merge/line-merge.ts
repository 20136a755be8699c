import { diffIds } from '../diff/diff'
import type { LineChange } from '../diff/diff'
import { LineClasses, lineBytes, splitLines } from '../diff/line-file'
import type { LineFile } from '../diff/line-file'

/*
 * A port of git's xdl_merge (xdiff/xmerge.c) at git's defaults for merges: histogram diff, level
 * ZEALOUS, "merge" conflict style, no favouring. Changes from both sides that overlap *or touch*
 * conflict unless they are identical; conflicts are then refined by diffing ours against theirs.
 */

/** A line range, 0-based start and a count. */
export interface LineRange {
  start: number
  count: number
}

/** One conflicting region of a line merge. The base range is that of the unrefined conflict. */
export interface ConflictHunk {
  base: LineRange
  ours: LineRange
  theirs: LineRange
}

/** The outcome of a line merge: merged bytes, or the conflicting hunks. */
export type LineMergeResult = { clean: true; merged: Buffer } | { clean: false; hunks: ConflictHunk[] }

// mode: 0 conflict, 1 ours, 2 theirs, 4 identical after refinement.
interface Merge {
  mode: number
  i0: number
  chg0: number
  i1: number
  chg1: number
  i2: number
  chg2: number
}

/** Merges the changes base→ours and base→theirs of one file, line by line, as `git merge-file` would. */
export function mergeLines(base: Buffer, ours: Buffer, theirs: Buffer): LineMergeResult {
  const classes = new LineClasses()
  const b = splitLines(base, classes)
  const o = splitLines(ours, classes)
  const t = splitLines(theirs, classes)
  const script1 = diffIds(b.ids, o.ids)
  const script2 = diffIds(b.ids, t.ids)
  if (script1.length === 0) return { clean: true, merged: theirs }
  if (script2.length === 0) return { clean: true, merged: ours }
  const merges = collect(script1, script2, b, o, t)
  refineConflicts(merges, o, t)
  const simplified = simplifyNonConflicts(merges)
  const conflicts = simplified.filter((m) => m.mode === 0)
  if (conflicts.length > 0) {
    return {
      clean: false,
      hunks: conflicts.map((m) => ({
        base: { start: m.i0, count: m.chg0 },
        ours: { start: m.i1, count: m.chg1 },
        theirs: { start: m.i2, count: m.chg2 },
      })),
    }
  }
  return { clean: true, merged: fill(simplified, o, t) }
}

function append(
  list: Merge[],
  mode: number,
  i0: number,
  chg0: number,
  i1: number,
  chg1: number,
  i2: number,
  chg2: number,
): void {
  const m = list[list.length - 1]
  if (m && (i1 <= m.i1 + m.chg1 || i2 <= m.i2 + m.chg2)) {
    if (mode !== m.mode) m.mode = 0
    m.chg0 = i0 + chg0 - m.i0
    m.chg1 = i1 + chg1 - m.i1
    m.chg2 = i2 + chg2 - m.i2
  } else list.push({ mode, i0, chg0, i1, chg1, i2, chg2 })
}

function collect(s1: LineChange[], s2: LineChange[], base: LineFile, ours: LineFile, theirs: LineFile): Merge[] {
  const nBase = base.count
  const nOurs = ours.count
  const nTheirs = theirs.count
  const list: Merge[] = []
  let p1 = 0
  let p2 = 0
  while (p1 < s1.length && p2 < s2.length) {
    const x1 = s1[p1] as LineChange
    const x2 = s2[p2] as LineChange
    if (x1.i1 + x1.chg1 < x2.i1) {
      append(list, 1, x1.i1, x1.chg1, x1.i2, x1.chg2, x2.i2 - x2.i1 + x1.i1, x1.chg1)
      p1++
      continue
    }
    if (x2.i1 + x2.chg1 < x1.i1) {
      append(list, 2, x2.i1, x2.chg1, x1.i2 - x1.i1 + x2.i1, x2.chg1, x2.i2, x2.chg2)
      p2++
      continue
    }
    if (x1.i1 !== x2.i1 || x1.chg1 !== x2.chg1 || x1.chg2 !== x2.chg2 || !sameLines(x1, x2)) {
      const off = x1.i1 - x2.i1
      const ffo = off + x1.chg1 - x2.chg1
      let i0 = x1.i1
      let i1 = x1.i2
      let i2 = x2.i2
      if (off > 0) {
        i0 -= off
        i1 -= off
      } else i2 += off
      let chg0 = x1.i1 + x1.chg1 - i0
      let chg1 = x1.i2 + x1.chg2 - i1
      let chg2 = x2.i2 + x2.chg2 - i2
      if (ffo < 0) {
        chg0 -= ffo
        chg1 -= ffo
      } else chg2 += ffo
      append(list, 0, i0, chg0, i1, chg1, i2, chg2)
    }
    const end1 = x1.i1 + x1.chg1
    const end2 = x2.i1 + x2.chg1
    if (end1 >= end2) p2++
    if (end2 >= end1) p1++
  }
  for (; p1 < s1.length; p1++) {
    const x1 = s1[p1] as LineChange
    append(list, 1, x1.i1, x1.chg1, x1.i2, x1.chg2, x1.i1 + nTheirs - nBase, x1.chg1)
  }
  for (; p2 < s2.length; p2++) {
    const x2 = s2[p2] as LineChange
    append(list, 2, x2.i1, x2.chg1, x2.i1 + nOurs - nBase, x2.chg1, x2.i2, x2.chg2)
  }
  return list

  function sameLines(x1: LineChange, x2: LineChange): boolean {
    for (let i = 0; i < x1.chg2; i++) if (ours.ids[x1.i2 + i] !== theirs.ids[x2.i2 + i]) return false
    return true
  }
}

/** xdl_refine_conflicts: diffs ours against theirs inside each conflict to shrink or split it. */
function refineConflicts(merges: Merge[], ours: LineFile, theirs: LineFile): void {
  for (let k = 0; k < merges.length; k++) {
    const m = merges[k] as Merge
    if (m.mode !== 0 || m.chg1 === 0 || m.chg2 === 0) continue
    const script = diffIds(ours.ids.subarray(m.i1, m.i1 + m.chg1), theirs.ids.subarray(m.i2, m.i2 + m.chg2))
    if (script.length === 0) {
      m.mode = 4
      continue
    }
    const i1 = m.i1
    const i2 = m.i2
    const parts = script.map((x) => ({
      mode: 0,
      i0: m.i0,
      chg0: m.chg0,
      i1: x.i1 + i1,
      chg1: x.chg1,
      i2: x.i2 + i2,
      chg2: x.chg2,
    }))
    merges.splice(k, 1, ...parts)
    k += parts.length - 1
  }
}

/** xdl_simplify_non_conflicts at level ZEALOUS: conflicts at most 3 lines apart become one. */
function simplifyNonConflicts(merges: Merge[]): Merge[] {
  const out: Merge[] = []
  for (const next of merges) {
    const m = out[out.length - 1]
    if (m && m.mode === 0 && next.mode === 0 && next.i1 - (m.i1 + m.chg1) <= 3) {
      m.chg0 = next.i0 + next.chg0 - m.i0
      m.chg1 = next.i1 + next.chg1 - m.i1
      m.chg2 = next.i2 + next.chg2 - m.i2
    } else out.push(next)
  }
  return out
}

/** xdl_fill_merge_buffer for a clean merge: ours between changes, each change from its side. */
function fill(merges: Merge[], ours: LineFile, theirs: LineFile): Buffer {
  const parts: Buffer[] = []
  let i = 0
  for (const m of merges) {
    if (m.mode !== 1 && m.mode !== 2) continue
    parts.push(lineBytes(ours, i, m.i1))
    parts.push(m.mode === 1 ? lineBytes(ours, m.i1, m.i1 + m.chg1) : lineBytes(theirs, m.i2, m.i2 + m.chg2))
    i = m.i1 + m.chg1
  }
  parts.push(lineBytes(ours, i, ours.count))
  return Buffer.concat(parts)
}
