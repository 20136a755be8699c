import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { AppError } from '../../../../shared/errors'
import { applyDelta } from './delta'
import { PACK_TYPES, type GitObject } from './git-object'
import { readPackIndex, type PackIndex } from './pack-index'

// Commits sit together near the start of a pack, so one large window serves thousands of reads.
const WINDOW = 4 * 1024 * 1024
const BASE_CACHE_LIMIT = 512

/** One `.pack` with its `.idx`, read by positioned reads through a sliding window. */
export class PackFile {
  private readonly fd: number
  private readonly index: PackIndex
  private window = Buffer.alloc(0)
  private windowStart = 0
  private readonly bases = new Map<number, GitObject>()

  constructor(packPath: string, resolveExternal: (oid: Buffer) => GitObject | undefined) {
    this.fd = openSync(packPath, 'r')
    const size = fstatSync(this.fd).size
    this.index = readPackIndex(packPath.replace(/\.pack$/, '.idx'), size)
    this.resolveExternal = resolveExternal
  }

  private readonly resolveExternal: (oid: Buffer) => GitObject | undefined

  /** The object with this 20-byte name, or undefined when this pack lacks it. */
  read(oid: Buffer): GitObject | undefined {
    const offset = this.index.offsetOf(oid)
    return offset < 0 ? undefined : this.readAt(offset)
  }

  /** Releases the file descriptor. */
  close(): void {
    closeSync(this.fd)
  }

  private bytes(start: number, end: number): Buffer {
    if (start >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.subarray(start - this.windowStart, end - this.windowStart)
    }
    const length = Math.max(WINDOW, end - start)
    const buf = Buffer.allocUnsafe(length)
    const got = readSync(this.fd, buf, 0, length, start)
    this.window = buf.subarray(0, got)
    this.windowStart = start
    if (got < end - start) throw new AppError('internal', 'Pack file is truncated.')
    return this.window.subarray(0, end - start)
  }

  private readAt(offset: number): GitObject {
    const cached = this.bases.get(offset)
    if (cached) return cached
    const entry = this.bytes(offset, this.index.endOf(offset))
    let pos = 0
    let byte = entry[pos++] ?? 0
    const typeCode = (byte >> 4) & 7
    while (byte & 0x80) byte = entry[pos++] ?? 0

    let object: GitObject
    const plain = PACK_TYPES[typeCode]
    if (plain) {
      object = { type: plain, data: inflateSync(entry.subarray(pos)) }
    } else if (typeCode === 6) {
      byte = entry[pos++] ?? 0
      let back = byte & 0x7f
      while (byte & 0x80) {
        byte = entry[pos++] ?? 0
        back = (back + 1) * 128 + (byte & 0x7f)
      }
      const delta = inflateSync(entry.subarray(pos))
      const base = this.readAt(offset - back)
      object = { type: base.type, data: applyDelta(base.data, delta) }
      this.remember(offset - back, base)
    } else if (typeCode === 7) {
      const baseOid = Buffer.from(entry.subarray(pos, pos + 20))
      const delta = inflateSync(entry.subarray(pos + 20))
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
