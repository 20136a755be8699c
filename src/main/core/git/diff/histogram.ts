import { myersDiff } from './myers'

/*
 * A port of git's xdiff/xhistogram.c. Lines are compared by class id. `changed1`/`changed2` are
 * git's `rchg` arrays with one slot of padding on each side: line i (0-based) lives at index i + 1.
 * Line numbers inside this file are 1-based, as in the C source, so the port stays checkable.
 */

const MAX_CHAIN_LENGTH = 64

interface Occurrences {
  ptr: number
  cnt: number
}

interface Region {
  begin1: number
  end1: number
  begin2: number
  end2: number
}

interface Index {
  a: Int32Array
  b: Int32Array
  records: Map<number, Occurrences>
  lineMap: (Occurrences | undefined)[]
  nextPtrs: Int32Array
  ptrShift: number
  cnt: number
  hasCommon: boolean
}

/** Marks changed lines of `a` and `b` the way `git diff --histogram` does (before compaction). */
export function histogramDiff(a: Int32Array, b: Int32Array, changed1: Uint8Array, changed2: Uint8Array): void {
  histogram(a, b, changed1, changed2, 1, a.length, 1, b.length)
}

function histogram(
  a: Int32Array,
  b: Int32Array,
  changed1: Uint8Array,
  changed2: Uint8Array,
  line1: number,
  count1: number,
  line2: number,
  count2: number,
): void {
  for (;;) {
    if (count1 <= 0 && count2 <= 0) return
    if (count1 === 0) {
      for (let i = 0; i < count2; i++) changed2[line2 + i] = 1
      return
    }
    if (count2 === 0) {
      for (let i = 0; i < count1; i++) changed1[line1 + i] = 1
      return
    }
    const lcs: Region = { begin1: 0, end1: 0, begin2: 0, end2: 0 }
    if (findLcs(a, b, lcs, line1, count1, line2, count2)) {
      // Every common line occurs too often here: git falls back to its classic (Myers) diff.
      const sub1 = a.subarray(line1 - 1, line1 - 1 + count1)
      const sub2 = b.subarray(line2 - 1, line2 - 1 + count2)
      myersDiff(sub1, sub2, changed1.subarray(line1 - 1), changed2.subarray(line2 - 1))
      return
    }
    if (lcs.begin1 === 0 && lcs.begin2 === 0) {
      for (let i = 0; i < count1; i++) changed1[line1 + i] = 1
      for (let i = 0; i < count2; i++) changed2[line2 + i] = 1
      return
    }
    histogram(a, b, changed1, changed2, line1, lcs.begin1 - line1, line2, lcs.begin2 - line2)
    const end1 = line1 + count1 - 1
    const end2 = line2 + count2 - 1
    count1 = end1 - lcs.end1
    line1 = lcs.end1 + 1
    count2 = end2 - lcs.end2
    line2 = lcs.end2 + 1
  }
}

/** Finds the longest common run of lowest occurrence count; true means "fall back to Myers". */
function findLcs(
  a: Int32Array,
  b: Int32Array,
  lcs: Region,
  line1: number,
  count1: number,
  line2: number,
  count2: number,
): boolean {
  const index: Index = {
    a,
    b,
    records: new Map(),
    lineMap: new Array<Occurrences | undefined>(count1),
    nextPtrs: new Int32Array(count1),
    ptrShift: line1,
    cnt: 0,
    hasCommon: false,
  }
  scanA(index, line1, count1)
  index.cnt = MAX_CHAIN_LENGTH + 1
  const lineEnd2 = line2 + count2 - 1
  for (let bPtr = line2; bPtr <= lineEnd2;) bPtr = tryLcs(index, lcs, bPtr, line1, count1, line2, count2)
  return index.hasCommon && MAX_CHAIN_LENGTH < index.cnt
}

function scanA(index: Index, line1: number, count1: number): void {
  const { a, records, lineMap, nextPtrs, ptrShift } = index
  for (let ptr = line1 + count1 - 1; line1 <= ptr; ptr--) {
    const id = a[ptr - 1] as number
    let rec = records.get(id)
    if (rec) {
      nextPtrs[ptr - ptrShift] = rec.ptr
      rec.ptr = ptr
      rec.cnt++
    } else {
      rec = { ptr, cnt: 1 }
      records.set(id, rec)
    }
    lineMap[ptr - ptrShift] = rec
  }
}

function cntAt(index: Index, ptr: number): number {
  return index.lineMap[ptr - index.ptrShift]?.cnt ?? 0
}

function tryLcs(
  index: Index,
  lcs: Region,
  bPtr: number,
  line1: number,
  count1: number,
  line2: number,
  count2: number,
): number {
  const { a, b } = index
  let bNext = bPtr + 1
  const rec = index.records.get(b[bPtr - 1] as number)
  if (!rec) return bNext
  if (rec.cnt > index.cnt) {
    index.hasCommon = true
    return bNext
  }
  const lineEnd1 = line1 + count1 - 1
  const lineEnd2 = line2 + count2 - 1
  let as = rec.ptr
  index.hasCommon = true
  for (;;) {
    let np = index.nextPtrs[as - index.ptrShift] as number
    let bs = bPtr
    let ae = as
    let be = bs
    let rc = rec.cnt
    while (line1 < as && line2 < bs && a[as - 2] === b[bs - 2]) {
      as--
      bs--
      if (1 < rc) rc = Math.min(rc, cntAt(index, as))
    }
    while (ae < lineEnd1 && be < lineEnd2 && a[ae] === b[be]) {
      ae++
      be++
      if (1 < rc) rc = Math.min(rc, cntAt(index, ae))
    }
    if (bNext <= be) bNext = be + 1
    if (lcs.end1 - lcs.begin1 < ae - as || rc < index.cnt) {
      lcs.begin1 = as
      lcs.begin2 = bs
      lcs.end1 = ae
      lcs.end2 = be
      index.cnt = rc
    }
    if (np === 0) break
    while (np <= ae) {
      np = index.nextPtrs[np - index.ptrShift] as number
      if (np === 0) return bNext
    }
    as = np
  }
  return bNext
}
