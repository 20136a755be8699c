import { readFileSync } from 'node:fs'
import { AppError } from '../../../../shared/errors'

/** A parsed pack `.idx` (version 2): sorted object names and their pack offsets. */
export interface PackIndex {
  readonly count: number
  /** Offset of the object with this 20-byte name, or -1 when the pack does not hold it. */
  offsetOf(oid: Buffer): number
  /** Position of this 20-byte name in sorted order, or -1 when the pack does not hold it. */
  positionOf(oid: Buffer): number
  /** The i-th name in sorted order (a view into the index, valid while the index is). */
  nameAt(i: number): Buffer
  /** The pack offset of the i-th name. */
  offsetAt(i: number): number
}

const IDX_MAGIC = 0xff744f63

/** Reads a v2 `.idx` file. The file is kept as read; lookups binary-search it in place. */
export function readPackIndex(idxPath: string): PackIndex {
  const buf = readFileSync(idxPath)
  if (buf.length < 8 + 1024 || buf.readUInt32BE(0) !== IDX_MAGIC || buf.readUInt32BE(4) !== 2) {
    throw new AppError('unsupported', `Pack index ${idxPath} is not a version 2 index.`)
  }
  const fanout = 8
  const count = buf.readUInt32BE(fanout + 255 * 4)
  const names = fanout + 1024
  const offsets32 = names + count * 20 + count * 4
  const offsets64 = offsets32 + count * 4

  const offsetAt = (i: number): number => {
    const small = buf.readUInt32BE(offsets32 + i * 4)
    if ((small & 0x80000000) === 0) return small
    const at = offsets64 + (small & 0x7fffffff) * 8
    return buf.readUInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4)
  }

  const positionOf = (oid: Buffer): number => {
    const first = oid[0] ?? 0
    let lo = first === 0 ? 0 : buf.readUInt32BE(fanout + (first - 1) * 4)
    let hi = buf.readUInt32BE(fanout + first * 4)
    // Compare the leading 4 bytes as a number first: it settles almost every step without a native call.
    const head = oid.readUInt32BE(0)
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const at = names + mid * 20
      const word = buf.readUInt32BE(at)
      const c = word !== head ? (word > head ? 1 : -1) : buf.compare(oid, 0, 20, at, at + 20)
      if (c === 0) return mid
      if (c > 0) hi = mid
      else lo = mid + 1
    }
    return -1
  }

  return {
    count,
    nameAt: (i) => buf.subarray(names + i * 20, names + i * 20 + 20),
    offsetAt,
    offsetOf(oid) {
      const at = positionOf(oid)
      return at < 0 ? -1 : offsetAt(at)
    },
    positionOf,
  }
}
