import { createHash, hash, type Hash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { AppError } from '../../../../shared/errors'
import { entryHeader, OBJ_OFS_DELTA, OBJ_REF_DELTA, objectHeader, readEntryHeader } from './pack-entry'
import { PackTable } from './pack-table'
import { StreamInflate } from './stream-inflate'

/** Objects up to this size are inflated whole and hashed in one call; larger ones stream through the hash. */
const WHOLE_LIMIT = 8 * 1024 * 1024
/** Output window for large objects and for deltas, whose content the first pass does not keep. */
const WINDOW = 256 * 1024
/** Entries the table is sized for at most from the pack's own count; past it, it grows as entries arrive. */
const CAPACITY_LIMIT = 1 << 24

type Mode = 'whole' | 'stream' | 'discard'

/**
 * The first pass of git's `index-pack`, fed the pack as it arrives: each entry is inflated to find where it
 * ends (pack entries record no compressed length) and to hash whole objects; deltas are only located. The pack
 * bytes themselves are not kept: the caller spools them to a file, which the second pass reads.
 */
export class PackScanner {
  /** Bytes received so far. */
  bytes = 0
  private table: PackTable | undefined
  private total = -1
  /** Absolute offset of `carry[0]`, or of the next byte when nothing is carried. */
  private at = 0
  private carry: Buffer | undefined
  private readonly packHash: Hash = createHash('sha1')
  private hashedTo = 0
  private readonly trailer = Buffer.alloc(20)
  private trailerLength = 0
  private readonly inflate = new StreamInflate()
  private readonly header = entryHeader()
  private whole = Buffer.alloc(64 * 1024)
  private readonly window = Buffer.allocUnsafe(WINDOW)
  // The entry whose zlib data is being read, if any.
  private current = -1
  private mode: Mode = 'discard'
  private size = 0
  private produced = 0
  private prefix = 0
  private crc = 0
  private objectHash: Hash | undefined

  /** Objects located so far, and how many the pack holds (-1 until its header arrived). */
  get progress(): { objects: number; total: number } {
    return { objects: this.table?.count ?? 0, total: this.total }
  }

  /** Takes the next piece of the pack stream. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    const base = this.at
    this.carry = undefined
    let p = 0
    while (p < buf.length) {
      if (this.total < 0) {
        if (buf.length - p < 12) break
        this.readPackHeader(buf, p)
        p += 12
        continue
      }
      if (this.current >= 0) {
        p = this.feed(buf, p)
        continue
      }
      const table = this.table as PackTable
      if (table.count === this.total) {
        if (this.trailerLength === 0) table.end = base + p
        const take = Math.min(20 - this.trailerLength, buf.length - p)
        buf.copy(this.trailer, this.trailerLength, p, p + take)
        this.trailerLength += take
        p += take
        if (p < buf.length) throw corrupt('bytes follow the pack trailer')
        break
      }
      if (!readEntryHeader(buf, p, buf.length, this.header)) break
      this.begin(buf, p, base)
      p += this.header.length
    }
    this.hashUpTo(buf, base, p)
    if (p < buf.length) this.carry = buf.subarray(p)
    this.at = base + p
  }

  /** Checks that the whole pack arrived and matches its checksum; returns what the first pass learnt. */
  finish(): { table: PackTable; checksum: Buffer } {
    const table = this.table
    if (!table || table.count < this.total || this.current >= 0 || this.trailerLength < 20)
      throw new AppError('clone-failed', 'The pack ended before all of it arrived; fetch again.')
    const checksum = this.packHash.digest()
    if (!checksum.equals(this.trailer))
      throw new AppError(
        'clone-failed',
        'The pack does not match its checksum (it was corrupted on the way); nothing was changed, fetch again.',
      )
    this.inflate.close()
    return { table, checksum }
  }

  /** Releases the native inflate state (after a failure; `finish` does it on success). */
  close(): void {
    this.inflate.close()
  }

  private readPackHeader(buf: Buffer, p: number): void {
    if (buf.toString('latin1', p, p + 4) !== 'PACK') throw corrupt('it does not start with PACK')
    const version = buf.readUInt32BE(p + 4)
    if (version !== 2 && version !== 3) throw corrupt(`version ${version} is not supported`)
    this.total = buf.readUInt32BE(p + 8)
    // Zeroed typed arrays take memory only where written, so a count claimed but never sent costs little.
    this.table = new PackTable(Math.min(this.total, CAPACITY_LIMIT))
  }

  // Hashes the pack bytes before the trailer, each byte once even when it was carried over.
  private hashUpTo(buf: Buffer, base: number, p: number): void {
    const stop = this.table?.end ? Math.min(this.table.end, base + p) : base + p
    if (stop > this.hashedTo) {
      this.packHash.update(buf.subarray(this.hashedTo - base, stop - base))
      this.hashedTo = stop
    }
  }

  private begin(buf: Buffer, p: number, base: number): void {
    const table = this.table as PackTable
    const h = this.header
    table.reserve(1)
    const i = table.count++
    const offset = base + p
    table.offsets[i] = offset
    table.headerLengths[i] = h.length
    table.types[i] = h.type
    if (h.type === OBJ_OFS_DELTA) {
      const baseIndex = table.indexAt(offset - h.distance, i)
      if (h.distance === 0 || baseIndex < 0) throw corrupt(`entry at ${offset} names a base that is no entry`)
      table.bases[i] = baseIndex
      this.mode = 'discard'
    } else if (h.type === OBJ_REF_DELTA) {
      table.refDeltas.push(i)
      table.refBaseOids.push(Buffer.from(buf.subarray(p + h.length - 20, p + h.length)))
      this.mode = 'discard'
    } else if (h.type >= 1 && h.type <= 4) {
      table.realTypes[i] = h.type
      this.mode = h.size <= WHOLE_LIMIT ? 'whole' : 'stream'
    } else throw corrupt(`entry at ${offset} has unknown type ${h.type}`)
    this.current = i
    this.size = h.size
    this.produced = 0
    this.crc = crc32(buf.subarray(p, p + h.length))
    this.inflate.reset()
    if (this.mode === 'discard') return
    const prefix = objectHeader(h.type, h.size)
    if (this.mode === 'stream') {
      this.objectHash = createHash('sha1').update(prefix, 'latin1')
      return
    }
    this.prefix = prefix.length
    if (this.whole.length < this.prefix + h.size + 1)
      this.whole = Buffer.allocUnsafe(Math.max(this.prefix + h.size + 1, this.whole.length * 2))
    this.whole.write(prefix, 0, 'latin1')
  }

  // Inflates the current entry from buf[p..]; returns where its zlib data ended, or buf.length if it goes on.
  private feed(buf: Buffer, p: number): number {
    const start = p
    const whole = this.mode === 'whole'
    for (;;) {
      const out = whole ? this.whole : this.window
      const outAt = whole ? this.prefix + this.produced : 0
      const outEnd = whole ? this.prefix + this.size + 1 : WINDOW
      this.inflate.write(buf, p, buf.length, out, outAt, outEnd)
      p += this.inflate.read
      if (this.mode === 'stream' && this.inflate.written > 0)
        this.objectHash?.update(this.window.subarray(0, this.inflate.written))
      this.produced += this.inflate.written
      if (this.produced > this.size) throw corrupt(`entry at ${this.entryOffset()} inflates past its size`)
      if (this.inflate.ended || p === buf.length) break
      // Output room ran out first: only the windowed modes get here, and go round again.
      if (whole) throw corrupt(`entry at ${this.entryOffset()} inflates past its size`)
    }
    this.crc = crc32(buf.subarray(start, p), this.crc)
    if (this.inflate.ended) this.end()
    return p
  }

  private end(): void {
    const table = this.table as PackTable
    const i = this.current
    if (this.produced !== this.size) throw corrupt(`entry at ${this.entryOffset()} is shorter than its size`)
    table.crcs[i] = this.crc
    if (this.mode === 'whole') {
      const digest = hash('sha1', this.whole.subarray(0, this.prefix + this.size), 'buffer')
      digest.copy(table.oids, i * 20)
    } else if (this.mode === 'stream') {
      this.objectHash?.digest().copy(table.oids, i * 20)
      this.objectHash = undefined
    }
    this.current = -1
  }

  private entryOffset(): number {
    return (this.table as PackTable).offsets[this.current] ?? 0
  }
}

function corrupt(what: string): AppError {
  return new AppError('clone-failed', `The pack is corrupt (${what}); nothing was changed, fetch again.`)
}
