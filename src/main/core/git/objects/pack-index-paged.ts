import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { AppError } from '../../../../shared/errors'
import { PackPages } from './pack-pages'

const IDX_MAGIC = 0xff744f63
const PAGE = 4096
const PAGE_LIMIT = 1024
/** One name in this many is kept in memory (its first 4 bytes), so a lookup reads one page of names, not a search. */
const SAMPLE = 64

/**
 * A v2 `.idx` read in place, for lookups by name: the fanout and one name prefix in 64 in memory, the rest through
 * a small cache of 4 KiB pages (at most 4 MiB). Memory stays the same however many objects the pack holds (a
 * 150k-commit repository's `.idx` is 37 MB), where `readPackIndex` holds the whole file.
 */
export class PagedPackIndex {
  readonly count: number
  private readonly fd: number
  private readonly size: number
  private readonly fanout = new Uint32Array(256)
  private readonly sample: Uint32Array
  private readonly names = 8 + 1024
  private readonly offsets32: number
  private readonly offsets64: number
  private readonly pages: PackPages

  constructor(idxPath: string) {
    this.fd = openSync(idxPath, 'r')
    try {
      this.size = fstatSync(this.fd).size
      const head = Buffer.alloc(8 + 1024)
      if (this.size < head.length || readSync(this.fd, head, 0, head.length, 0) < head.length)
        throw new AppError('unsupported', `Pack index ${idxPath} is not a version 2 index.`)
      if (head.readUInt32BE(0) !== IDX_MAGIC || head.readUInt32BE(4) !== 2)
        throw new AppError('unsupported', `Pack index ${idxPath} is not a version 2 index.`)
      for (let i = 0; i < 256; i++) this.fanout[i] = head.readUInt32BE(8 + i * 4)
      this.pages = new PackPages(this.fd, this.size, { page: PAGE, limit: PAGE_LIMIT })
      this.count = this.fanout[255] ?? 0
      this.offsets32 = this.names + this.count * 24
      this.offsets64 = this.offsets32 + this.count * 4
      this.sample = this.readSample()
    } catch (error) {
      closeSync(this.fd)
      throw error
    }
  }

  /** Offset in the pack of the object with this 20-byte name, or -1 when the pack does not hold it. */
  offsetOf(oid: Buffer): number {
    const at = this.positionOf(oid)
    if (at < 0) return -1
    const small = this.read(this.offsets32 + at * 4, 4).readUInt32BE(0)
    if ((small & 0x80000000) === 0) return small
    const big = this.read(this.offsets64 + (small & 0x7fffffff) * 8, 8)
    return big.readUInt32BE(0) * 0x1_0000_0000 + big.readUInt32BE(4)
  }

  /** Releases the file descriptor. */
  close(): void {
    closeSync(this.fd)
  }

  private positionOf(oid: Buffer): number {
    const first = oid[0] ?? 0
    let lo = first === 0 ? 0 : (this.fanout[first - 1] ?? 0)
    let hi = this.fanout[first] ?? 0
    const head = oid.readUInt32BE(0)
    // Narrow to the samples around the name (those inside [lo, hi)): at most SAMPLE names are then read, from one
    // or two pages. Names before the first sample not below it are below `oid`; from the first above it, above.
    const first0 = Math.ceil(lo / SAMPLE)
    const end = Math.floor((hi - 1) / SAMPLE) + 1
    const below = this.bound(first0, end, (prefix) => prefix < head)
    const notAbove = this.bound(below, end, (prefix) => prefix <= head)
    if (below > first0) lo = Math.max(lo, (below - 1) * SAMPLE + 1)
    if (notAbove < end) hi = Math.min(hi, notAbove * SAMPLE)
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const c = this.read(this.names + mid * 20, 20).compare(oid, 0, 20)
      if (c === 0) return mid
      if (c > 0) hi = mid
      else lo = mid + 1
    }
    return -1
  }

  // The first sample index in [from, to) whose prefix fails `before` (samples are sorted).
  private bound(from: number, to: number, before: (prefix: number) => boolean): number {
    let lo = from
    let hi = to
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (before(this.sample[mid] ?? 0)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private readSample(): Uint32Array {
    const sample = new Uint32Array(Math.ceil(this.count / SAMPLE))
    for (let i = 0; i < sample.length; i++) sample[i] = this.read(this.names + i * SAMPLE * 20, 4).readUInt32BE(0)
    // The sample's pages served once; the lookups' own come next.
    this.pages.reset(this.size)
    return sample
  }

  // The bytes [at, at + length) as a view valid until the next read.
  private read(at: number, length: number): Buffer {
    if (at + length > this.size) throw new AppError('internal', 'Pack index file is truncated.')
    return this.pages.bytes(at, at + length)
  }
}
