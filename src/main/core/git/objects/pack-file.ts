import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { AppError } from '../../../../shared/errors'
import { applyDelta } from './delta'
import { PACK_TYPES, type GitObject } from './git-object'
import { createInflater, type Inflater } from './inflate'
import { readPackIndex, type PackIndex } from './pack-index'

// Reads go through a few aligned pages: commits sit together in a pack, so one page serves hundreds
// of commits, while a lone lookup (peeling a tag) costs one page, not the whole pack.
const PAGE = 32 * 1024
const PAGE_LIMIT = 128
const BASE_CACHE_LIMIT = 512

/** One `.pack` with its `.idx`, read by positioned reads through a sliding window. */
export class PackFile {
  private readonly fd: number
  private readonly index: PackIndex
  private readonly pages = new Map<number, Buffer>()
  private readonly size: number
  private readonly bases = new Map<number, GitObject>()
  private readonly inflater: Inflater = createInflater()
  private lastPage = -1
  private lastBuffer: Buffer | undefined

  constructor(packPath: string, resolveExternal: (oid: Buffer) => GitObject | undefined) {
    this.fd = openSync(packPath, 'r')
    try {
      this.size = fstatSync(this.fd).size
      this.index = readPackIndex(packPath.replace(/\.pack$/, '.idx'))
    } catch (error) {
      closeSync(this.fd)
      throw error
    }
    this.resolveExternal = resolveExternal
  }

  private readonly resolveExternal: (oid: Buffer) => GitObject | undefined

  /** The object with this 20-byte name, or undefined when this pack lacks it. */
  read(oid: Buffer): GitObject | undefined {
    const offset = this.index.offsetOf(oid)
    return offset < 0 ? undefined : this.readAt(offset)
  }

  /** Whether this pack holds the object with this 20-byte name. */
  has(oid: Buffer): boolean {
    return this.index.offsetOf(oid) >= 0
  }

  /** Releases the file descriptor. */
  close(): void {
    this.inflater.close()
    closeSync(this.fd)
  }

  private bytes(start: number, end: number): Buffer {
    const first = Math.floor(start / PAGE)
    if (first === Math.floor((end - 1) / PAGE))
      return this.page(first).subarray(start - first * PAGE, end - first * PAGE)
    const buf = Buffer.allocUnsafe(end - start)
    if (readSync(this.fd, buf, 0, buf.length, start) < buf.length)
      throw new AppError('internal', 'Pack file is truncated.')
    return buf
  }

  private page(n: number): Buffer {
    // Consecutive reads mostly land on the page just used; it is already the most recent in the LRU.
    if (n === this.lastPage && this.lastBuffer) return this.lastBuffer
    const buf = this.lruPage(n)
    this.lastPage = n
    this.lastBuffer = buf
    return buf
  }

  private lruPage(n: number): Buffer {
    const hit = this.pages.get(n)
    if (hit) {
      // Re-insert so Map order is least recently used first.
      this.pages.delete(n)
      this.pages.set(n, hit)
      return hit
    }
    if (this.pages.size >= PAGE_LIMIT) {
      const oldest = this.pages.keys().next().value
      if (oldest !== undefined) this.pages.delete(oldest)
    }
    const length = Math.min(PAGE, this.size - n * PAGE)
    const buf = Buffer.allocUnsafe(length)
    if (readSync(this.fd, buf, 0, length, n * PAGE) < length) throw new AppError('internal', 'Pack file is truncated.')
    this.pages.set(n, buf)
    return buf
  }

  private readAt(offset: number): GitObject {
    const cached = this.bases.get(offset)
    if (cached) return cached
    const limit = this.size - 20
    const head = this.bytes(offset, Math.min(offset + 48, limit))
    let pos = 0
    let byte = head[pos++] ?? 0
    const typeCode = (byte >> 4) & 7
    let size = byte & 0x0f
    let shift = 4
    while (byte & 0x80) {
      byte = head[pos++] ?? 0
      size += (byte & 0x7f) * 2 ** shift
      shift += 7
    }
    // The entry's compressed length is not recorded; zlib stops at its stream end and ignores what
    // follows, so read the header plus a bound on deflate's output for `size` bytes (+ a delta base).
    const entry = this.bytes(offset, Math.min(offset + 48 + size + Math.ceil(size / 256) + 64, limit))

    let object: GitObject
    const plain = PACK_TYPES[typeCode]
    if (plain) {
      object = { type: plain, data: this.inflater.inflate(entry, size, pos) }
    } else if (typeCode === 6) {
      byte = entry[pos++] ?? 0
      let back = byte & 0x7f
      while (byte & 0x80) {
        byte = entry[pos++] ?? 0
        back = (back + 1) * 128 + (byte & 0x7f)
      }
      const delta = this.inflater.inflate(entry, size, pos)
      const base = this.readAt(offset - back)
      object = { type: base.type, data: applyDelta(base.data, delta) }
      this.remember(offset - back, base)
    } else if (typeCode === 7) {
      const baseOid = Buffer.from(entry.subarray(pos, pos + 20))
      const delta = this.inflater.inflate(entry, size, pos + 20)
      const base = this.read(baseOid) ?? this.resolveExternal(baseOid)
      if (!base) throw new AppError('internal', 'Pack delta refers to a missing base object.')
      object = { type: base.type, data: applyDelta(base.data, delta) }
    } else {
      throw new AppError('internal', `Pack entry has unknown type ${typeCode}.`)
    }
    return object
  }

  private remember(offset: number, object: GitObject): void {
    if (this.bases.size >= BASE_CACHE_LIMIT) this.bases.clear()
    this.bases.set(offset, object)
  }
}
