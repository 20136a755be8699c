import { createHash } from 'node:crypto'
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { AppError } from '../../../../shared/errors'
import { entryHeader, OBJ_OFS_DELTA, readEntryHeader, writeOfsDistance } from './pack-entry'
import { writePackIndex } from './pack-idx-write'
import { readPackIndex, type PackIndex } from './pack-index'
import { PackTable } from './pack-table'
import { packTempPath } from './temp-files'

const OUT_BUFFER = 1024 * 1024
const SLICE_MS = 20

/** One source pack, its index, and its entries in pack order. */
interface Source {
  fd: number
  index: PackIndex
  size: number
  /** Index positions (sorted-name order) of the entries, sorted by offset. */
  byOffset: Int32Array
  offsets: Float64Array
  /** Where each entry (by index position) landed in the merged pack. */
  landed: Float64Array
  duplicate: Uint8Array
}

/**
 * Merges packs (given oldest first, by name without extension) into one new pack in the same directory,
 * copying each entry's compressed bytes as they are: nothing is inflated or re-deltified, so it costs one read
 * and one write of the packs. An object in several packs is kept once; an OFS_DELTA has its base distance
 * re-encoded for where its base landed. The sources are left in place; returns the new pack's name.
 */
export async function mergePacks(packDir: string, names: string[], signal?: AbortSignal): Promise<string> {
  const sources: Source[] = []
  const temp = packTempPath(packDir)
  let out: number | undefined
  try {
    for (const name of names) sources.push(openSource(join(packDir, name)))
    let count = 0
    sources.forEach((source, k) => {
      for (let pos = 0; pos < source.index.count; pos++) {
        const oid = source.index.nameAt(pos)
        let seen = false
        for (let j = 0; j < k && !seen; j++) seen = (sources[j] as Source).index.positionOf(oid) >= 0
        if (seen) source.duplicate[pos] = 1
        else count++
      }
    })
    const table = new PackTable(count)
    out = openSync(temp, 'w')
    const writer = new Writer(out)
    const head = Buffer.alloc(12)
    head.write('PACK', 0, 'latin1')
    head.writeUInt32BE(2, 4)
    head.writeUInt32BE(count, 8)
    writer.write(head)
    let sliceStart = Date.now()
    for (let k = 0; k < sources.length; k++) {
      const source = sources[k] as Source
      for (let e = 0; e < source.byOffset.length; e++) {
        const pos = source.byOffset[e] as number
        const oid = source.index.nameAt(pos)
        if (source.duplicate[pos]) {
          source.landed[pos] = landedElsewhere(sources, k, oid)
          continue
        }
        const start = source.offsets[e] as number
        const end = e + 1 < source.offsets.length ? (source.offsets[e + 1] as number) : source.size - 20
        const at = writer.position
        const i = table.count++
        table.offsets[i] = at
        oid.copy(table.oids, i * 20)
        table.crcs[i] = copyEntry(source, e, start, end, at, writer)
        source.landed[pos] = at
        if (Date.now() - sliceStart >= SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve))
          signal?.throwIfAborted()
          sliceStart = Date.now()
        }
      }
    }
    table.end = writer.position
    const checksum = writer.finish()
    closeSync(out)
    out = undefined
    const name = `pack-${checksum.toString('hex')}`
    writePackIndex(`${temp}.idx`, table, checksum)
    await rename(temp, join(packDir, `${name}.pack`))
    await rename(`${temp}.idx`, join(packDir, `${name}.idx`))
    return name
  } catch (error) {
    if (out !== undefined) closeSync(out)
    await rm(temp, { force: true })
    await rm(`${temp}.idx`, { force: true })
    throw error
  } finally {
    for (const source of sources) closeSync(source.fd)
  }
}

function openSource(base: string): Source {
  const index = readPackIndex(`${base}.idx`)
  const fd = openSync(`${base}.pack`, 'r')
  const n = index.count
  const order = Array.from({ length: n }, (_, pos) => pos)
  order.sort((a, b) => index.offsetAt(a) - index.offsetAt(b))
  return {
    fd,
    index,
    size: fstatSync(fd).size,
    byOffset: Int32Array.from(order),
    offsets: Float64Array.from(order, (pos) => index.offsetAt(pos)),
    landed: new Float64Array(n),
    duplicate: new Uint8Array(n),
  }
}

// Where the first copy of a duplicate landed: in the earliest source that holds the object.
function landedElsewhere(sources: Source[], k: number, oid: Buffer): number {
  for (let j = 0; j < k; j++) {
    const source = sources[j] as Source
    const pos = source.index.positionOf(oid)
    if (pos >= 0) return source.landed[pos] as number
  }
  throw new AppError('internal', 'A duplicate pack entry has no first copy.')
}

const header = entryHeader()

// Copies entry e of a source to the writer (an OFS_DELTA with its distance recomputed); returns its CRC-32.
function copyEntry(source: Source, e: number, start: number, end: number, at: number, writer: Writer): number {
  const bytes = Buffer.allocUnsafe(end - start)
  if (readSync(source.fd, bytes, 0, bytes.length, start) !== bytes.length)
    throw new AppError('clone-failed', 'A pack is shorter than its index says; fetch again.')
  if (!readEntryHeader(bytes, 0, bytes.length, header)) throw new AppError('clone-failed', 'A pack entry is truncated.')
  if (header.type !== OBJ_OFS_DELTA) {
    writer.write(bytes)
    return crc32(bytes)
  }
  const base = start - header.distance
  const q = lowerBound(source.offsets, base)
  if (source.offsets[q] !== base) throw new AppError('clone-failed', 'A pack delta names a base that is no entry.')
  const landed = source.landed[source.byOffset[q] as number] as number
  // The type/size varint stays; only the distance after it changes.
  let sizeBytes = 1
  while ((bytes[sizeBytes - 1] as number) & 0x80) sizeBytes++
  const distance = Buffer.allocUnsafe(10)
  const length = writeOfsDistance(at - landed, distance, 0)
  const data = bytes.subarray(header.length)
  const crc = crc32(data, crc32(distance.subarray(0, length), crc32(bytes.subarray(0, sizeBytes))))
  writer.write(bytes.subarray(0, sizeBytes))
  writer.write(distance.subarray(0, length))
  writer.write(data)
  return crc
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Buffered sequential writes with the pack checksum computed on the way. */
class Writer {
  position = 0
  private readonly buffer = Buffer.allocUnsafe(OUT_BUFFER)
  private used = 0
  private readonly sha = createHash('sha1')

  constructor(private readonly fd: number) {}

  write(bytes: Buffer): void {
    this.position += bytes.length
    if (this.used + bytes.length > this.buffer.length) this.flush()
    if (bytes.length >= this.buffer.length) {
      this.sha.update(bytes)
      writeSync(this.fd, bytes)
      return
    }
    bytes.copy(this.buffer, this.used)
    this.used += bytes.length
  }

  finish(): Buffer {
    this.flush()
    const checksum = this.sha.digest()
    writeSync(this.fd, checksum)
    fsyncSync(this.fd)
    return checksum
  }

  private flush(): void {
    if (this.used === 0) return
    const chunk = this.buffer.subarray(0, this.used)
    this.sha.update(chunk)
    writeSync(this.fd, chunk)
    this.used = 0
  }
}
