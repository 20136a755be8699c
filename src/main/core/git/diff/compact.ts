/*
 * git's post-processing of a diff (xdiff/xdiffi.c): xdl_change_compact slides each group of
 * changed lines as far as it goes and then back to line up with a change on the other side,
 * and xdl_build_script turns the marks into changes. No indent heuristic: git does not use it
 * for merges, and our patch-id definition pins it off.
 */

/** One change of a diff: `chg1` lines at `i1` of the old side replaced by `chg2` lines at `i2` (0-based). */
export interface LineChange {
  i1: number
  i2: number
  chg1: number
  chg2: number
}

interface Group {
  start: number
  end: number
}

// `changed` is padded: line i at index i + 1, so index 0 and n + 1 are always 0 (git's rchg[-1], rchg[n]).
function at(changed: Uint8Array, line: number): number {
  return changed[line + 1] as number
}

function groupInit(changed: Uint8Array): Group {
  const g = { start: 0, end: 0 }
  while (at(changed, g.end)) g.end++
  return g
}

function groupNext(changed: Uint8Array, n: number, g: Group): boolean {
  if (g.end === n) return false
  g.start = g.end + 1
  for (g.end = g.start; at(changed, g.end); g.end++);
  return true
}

function groupPrevious(changed: Uint8Array, g: Group): boolean {
  if (g.start === 0) return false
  g.end = g.start - 1
  for (g.start = g.end; at(changed, g.start - 1); g.start--);
  return true
}

function slideDown(ids: Int32Array, changed: Uint8Array, g: Group): boolean {
  if (g.end < ids.length && ids[g.start] === ids[g.end]) {
    changed[g.start++ + 1] = 0
    changed[g.end++ + 1] = 1
    while (at(changed, g.end)) g.end++
    return true
  }
  return false
}

function slideUp(ids: Int32Array, changed: Uint8Array, g: Group): boolean {
  if (g.start > 0 && ids[g.start - 1] === ids[g.end - 1]) {
    changed[--g.start + 1] = 1
    changed[--g.end + 1] = 0
    while (at(changed, g.start - 1)) g.start--
    return true
  }
  return false
}

/** Slides change groups of one side (`ids`/`changed`) against the other side's marks, like xdl_change_compact. */
export function compactChanges(
  ids: Int32Array,
  changed: Uint8Array,
  otherLength: number,
  otherChanged: Uint8Array,
): void {
  const g = groupInit(changed)
  const go = groupInit(otherChanged)
  for (;;) {
    if (g.end !== g.start) {
      let groupSize: number
      let earliestEnd: number
      let endMatchingOther: number
      do {
        groupSize = g.end - g.start
        endMatchingOther = -1
        while (slideUp(ids, changed, g)) {
          if (!groupPrevious(otherChanged, go)) throw new Error('diff: group sync broken sliding up')
        }
        earliestEnd = g.end
        if (go.end > go.start) endMatchingOther = g.end
        for (;;) {
          if (!slideDown(ids, changed, g)) break
          if (!groupNext(otherChanged, otherLength, go)) throw new Error('diff: group sync broken sliding down')
          if (go.end > go.start) endMatchingOther = g.end
        }
      } while (groupSize !== g.end - g.start)
      if (g.end !== earliestEnd && endMatchingOther !== -1) {
        while (go.end === go.start) {
          if (!slideUp(ids, changed, g)) throw new Error('diff: match disappeared')
          if (!groupPrevious(otherChanged, go)) throw new Error('diff: group sync broken sliding to match')
        }
      }
    }
    if (!groupNext(changed, ids.length, g)) break
    if (!groupNext(otherChanged, otherLength, go)) throw new Error('diff: group sync broken moving to next group')
  }
}

/** Collects the marks of both sides into changes in file order (xdl_build_script). */
export function buildScript(changed1: Uint8Array, n1: number, changed2: Uint8Array, n2: number): LineChange[] {
  const script: LineChange[] = []
  for (let i1 = n1, i2 = n2; i1 >= 0 || i2 >= 0; i1--, i2--) {
    if (at(changed1, i1 - 1) || at(changed2, i2 - 1)) {
      const l1 = i1
      const l2 = i2
      for (; at(changed1, i1 - 1); i1--);
      for (; at(changed2, i2 - 1); i2--);
      script.push({ i1, i2, chg1: l1 - i1, chg2: l2 - i2 })
    }
  }
  return script.reverse()
}
