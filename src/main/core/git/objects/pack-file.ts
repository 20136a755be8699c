import { closeSync, fstatSync, openSync } from 'node:fs'
import { AppError } from '../../../../shared/errors'
import { applyDelta } from './delta'
import { PACK_TYPES, type GitObject } from './git-object'
import { createInflater, type Inflater } from './inflate'
import { PagedPackIndex } from './pack-index-paged'
import { PackPages } from './pack-pages'

const BASE_CACHE_LIMIT = 512

/** One `.pack` with its `.idx`, read by positioned reads through a sliding window. */
export class PackFile {
  private readonly fd: number
  private readonly index: PagedPackIndex
  private readonly pages: PackPages
  private readonly size: number
  private readonly bases = new Map<number, GitObject>()
  private readonly inflater: Inflater = createInflater()

  constructor(packPath: string, resolveExternal: (oid: Buffer) => GitObject | undefined) {
    this.fd = openSync(packPath, 'r')
    try {
      this.size = fstatSync(this.fd).size
      this.index = new PagedPackIndex(packPath.replace(/\.pack$/, '.idx'))
      this.pages = new PackPages(this.fd, this.size)
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
    this.index.close()
    closeSync(this.fd)
  }

  private bytes(start: number, end: number): Buffer {
    return this.pages.bytes(start, end)
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
