/*
 * A port of git's classic diff (xdiff/xprepare.c + xdiffi.c: trim ends, discard lines without
 * match, then Myers' divide and conquer with git's cost heuristics). Histogram diff falls back to
 * it for regions where every common line is too frequent. `changed*` use git's padded `rchg`
 * layout: line i (0-based) at index i + 1.
 */

const MAX_EQLIMIT = 1024
const SIMSCAN_WINDOW = 100
const KPDIS_RUN = 4
const MAX_COST_MIN = 256
const HEUR_MIN_COST = 256
const SNAKE_CNT = 20
const K_HEUR = 4
const LINE_MAX = 0x7fffffff

interface Side {
  ha: Int32Array
  rindex: Int32Array
  changed: Uint8Array
}

interface Env {
  kvd: Int32Array
  kvdf: number
  kvdb: number
  mxcost: number
}

interface Split {
  i1: number
  i2: number
  minLo: boolean
  minHi: boolean
}

/** Marks changed lines of `a` and `b` like git's default (Myers) diff, before compaction. */
export function myersDiff(a: Int32Array, b: Int32Array, changed1: Uint8Array, changed2: Uint8Array): void {
  const count1 = new Map<number, number>()
  const count2 = new Map<number, number>()
  for (const id of a) count1.set(id, (count1.get(id) ?? 0) + 1)
  for (const id of b) count2.set(id, (count2.get(id) ?? 0) + 1)

  const lim = Math.min(a.length, b.length)
  let start = 0
  while (start < lim && a[start] === b[start]) start++
  let tail = 0
  while (tail < lim - start && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++

  const side1 = discard(a, start, a.length - tail - 1, count2, changed1)
  const side2 = discard(b, start, b.length - tail - 1, count1, changed2)
  const n1 = side1.ha.length
  const n2 = side2.ha.length
  const ndiags = n1 + n2 + 3
  const env: Env = {
    kvd: new Int32Array(2 * ndiags + 2),
    kvdf: n2 + 1,
    kvdb: ndiags + n2 + 1,
    mxcost: Math.max(bogosqrt(ndiags), MAX_COST_MIN),
  }
  recsCmp(side1, 0, n1, side2, 0, n2, false, env)
}

function bogosqrt(n: number): number {
  let i = 1
  for (; n > 0; n >>= 2) i <<= 1
  return i
}

/** xdl_cleanup_records for one side: which lines take part in the diff at all. */
function discard(
  recs: Int32Array,
  dstart: number,
  dend: number,
  otherCounts: Map<number, number>,
  changed: Uint8Array,
): Side {
  const mlim = Math.min(bogosqrt(recs.length), MAX_EQLIMIT)
  const dis = new Uint8Array(recs.length + 1)
  for (let i = dstart; i <= dend; i++) {
    const nm = otherCounts.get(recs[i] as number) ?? 0
    dis[i] = nm === 0 ? 0 : nm >= mlim ? 2 : 1
  }
  const ha: number[] = []
  const rindex: number[] = []
  for (let i = dstart; i <= dend; i++) {
    if (dis[i] === 1 || (dis[i] === 2 && !cleanMatch(dis, i, dstart, dend))) {
      rindex.push(i)
      ha.push(recs[i] as number)
    } else changed[i + 1] = 1
  }
  return { ha: Int32Array.from(ha), rindex: Int32Array.from(rindex), changed }
}

function cleanMatch(dis: Uint8Array, i: number, s: number, e: number): boolean {
  if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW
  if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW
  let rdis0 = 0
  let rpdis0 = 1
  for (let r = 1; i - r >= s; r++) {
    const d = dis[i - r]
    if (!d) rdis0++
    else if (d === 2) rpdis0++
    else break
  }
  if (rdis0 === 0) return false
  let rdis1 = 0
  let rpdis1 = 1
  for (let r = 1; i + r <= e; r++) {
    const d = dis[i + r]
    if (!d) rdis1++
    else if (d === 2) rpdis1++
    else break
  }
  if (rdis1 === 0) return false
  rdis1 += rdis0
  rpdis1 += rpdis0
  return rpdis1 * KPDIS_RUN < rpdis1 + rdis1
}

function recsCmp(
  d1: Side,
  off1: number,
  lim1: number,
  d2: Side,
  off2: number,
  lim2: number,
  needMin: boolean,
  env: Env,
): void {
  const ha1 = d1.ha
  const ha2 = d2.ha
  for (; off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]; off1++, off2++);
  for (; off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]; lim1--, lim2--);
  if (off1 === lim1) {
    for (; off2 < lim2; off2++) d2.changed[(d2.rindex[off2] as number) + 1] = 1
  } else if (off2 === lim2) {
    for (; off1 < lim1; off1++) d1.changed[(d1.rindex[off1] as number) + 1] = 1
  } else {
    const spl: Split = { i1: 0, i2: 0, minLo: false, minHi: false }
    split(ha1, off1, lim1, ha2, off2, lim2, needMin, spl, env)
    recsCmp(d1, off1, spl.i1, d2, off2, spl.i2, spl.minLo, env)
    recsCmp(d1, spl.i1, lim1, d2, spl.i2, lim2, spl.minHi, env)
  }
}

function split(
  ha1: Int32Array,
  off1: number,
  lim1: number,
  ha2: Int32Array,
  off2: number,
  lim2: number,
  needMin: boolean,
  spl: Split,
  env: Env,
): void {
  const { kvd, kvdf: F, kvdb: B } = env
  const dmin = off1 - lim2
  const dmax = lim1 - off2
  const fmid = off1 - off2
  const bmid = lim1 - lim2
  const odd = ((fmid - bmid) & 1) !== 0
  let fmin = fmid
  let fmax = fmid
  let bmin = bmid
  let bmax = bmid
  kvd[F + fmid] = off1
  kvd[B + bmid] = lim1
  for (let ec = 1; ; ec++) {
    let gotSnake = false
    if (fmin > dmin) kvd[F + --fmin - 1] = -1
    else ++fmin
    if (fmax < dmax) kvd[F + ++fmax + 1] = -1
    else --fmax
    for (let d = fmax; d >= fmin; d -= 2) {
      let i1 =
        (kvd[F + d - 1] as number) >= (kvd[F + d + 1] as number)
          ? (kvd[F + d - 1] as number) + 1
          : (kvd[F + d + 1] as number)
      const prev1 = i1
      let i2 = i1 - d
      for (; i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]; i1++, i2++);
      if (i1 - prev1 > SNAKE_CNT) gotSnake = true
      kvd[F + d] = i1
      if (odd && bmin <= d && d <= bmax && (kvd[B + d] as number) <= i1) {
        setSplit(spl, i1, i2, true, true)
        return
      }
    }
    if (bmin > dmin) kvd[B + --bmin - 1] = LINE_MAX
    else ++bmin
    if (bmax < dmax) kvd[B + ++bmax + 1] = LINE_MAX
    else --bmax
    for (let d = bmax; d >= bmin; d -= 2) {
      let i1 =
        (kvd[B + d - 1] as number) < (kvd[B + d + 1] as number)
          ? (kvd[B + d - 1] as number)
          : (kvd[B + d + 1] as number) - 1
      const prev1 = i1
      let i2 = i1 - d
      for (; i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]; i1--, i2--);
      if (prev1 - i1 > SNAKE_CNT) gotSnake = true
      kvd[B + d] = i1
      if (!odd && fmin <= d && d <= fmax && i1 <= (kvd[F + d] as number)) {
        setSplit(spl, i1, i2, true, true)
        return
      }
    }
    if (needMin) continue
    if (
      gotSnake &&
      ec > HEUR_MIN_COST &&
      heuristicSplit(ha1, off1, lim1, ha2, off2, lim2, fmin, fmax, fmid, bmin, bmax, bmid, ec, spl, env)
    )
      return
    if (ec >= env.mxcost) {
      furthestSplit(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax, spl, env)
      return
    }
  }
}

function setSplit(spl: Split, i1: number, i2: number, minLo: boolean, minHi: boolean): void {
  spl.i1 = i1
  spl.i2 = i2
  spl.minLo = minLo
  spl.minHi = minHi
}

function heuristicSplit(
  ha1: Int32Array,
  off1: number,
  lim1: number,
  ha2: Int32Array,
  off2: number,
  lim2: number,
  fmin: number,
  fmax: number,
  fmid: number,
  bmin: number,
  bmax: number,
  bmid: number,
  ec: number,
  spl: Split,
  env: Env,
): boolean {
  const { kvd, kvdf: F, kvdb: B } = env
  let best = 0
  for (let d = fmax; d >= fmin; d -= 2) {
    const dd = d > fmid ? d - fmid : fmid - d
    const i1 = kvd[F + d] as number
    const i2 = i1 - d
    const v = i1 - off1 + (i2 - off2) - dd
    if (v > K_HEUR * ec && v > best && off1 + SNAKE_CNT <= i1 && i1 < lim1 && off2 + SNAKE_CNT <= i2 && i2 < lim2) {
      for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
        if (k === SNAKE_CNT) {
          best = v
          spl.i1 = i1
          spl.i2 = i2
          break
        }
      }
    }
  }
  if (best > 0) {
    spl.minLo = true
    spl.minHi = false
    return true
  }
  for (let d = bmax; d >= bmin; d -= 2) {
    const dd = d > bmid ? d - bmid : bmid - d
    const i1 = kvd[B + d] as number
    const i2 = i1 - d
    const v = lim1 - i1 + (lim2 - i2) - dd
    if (v > K_HEUR * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_CNT && off2 < i2 && i2 <= lim2 - SNAKE_CNT) {
      for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
        if (k === SNAKE_CNT - 1) {
          best = v
          spl.i1 = i1
          spl.i2 = i2
          break
        }
      }
    }
  }
  if (best > 0) {
    spl.minLo = false
    spl.minHi = true
    return true
  }
  return false
}

function furthestSplit(
  off1: number,
  lim1: number,
  off2: number,
  lim2: number,
  fmin: number,
  fmax: number,
  bmin: number,
  bmax: number,
  spl: Split,
  env: Env,
): void {
  const { kvd, kvdf: F, kvdb: B } = env
  let fbest = -1
  let fbest1 = -1
  for (let d = fmax; d >= fmin; d -= 2) {
    let i1 = Math.min(kvd[F + d] as number, lim1)
    let i2 = i1 - d
    if (lim2 < i2) {
      i1 = lim2 + d
      i2 = lim2
    }
    if (fbest < i1 + i2) {
      fbest = i1 + i2
      fbest1 = i1
    }
  }
  let bbest = LINE_MAX
  let bbest1 = LINE_MAX
  for (let d = bmax; d >= bmin; d -= 2) {
    let i1 = Math.max(off1, kvd[B + d] as number)
    let i2 = i1 - d
    if (i2 < off2) {
      i1 = off2 + d
      i2 = off2
    }
    if (i1 + i2 < bbest) {
      bbest = i1 + i2
      bbest1 = i1
    }
  }
  if (lim1 + lim2 - bbest < fbest - (off1 + off2)) setSplit(spl, fbest1, fbest - fbest1, true, false)
  else setSplit(spl, bbest1, bbest - bbest1, false, true)
}
