import { createHash } from 'node:crypto'
import { ftruncateSync, readSync, writeSync } from 'node:fs'
import { crc32, deflateSync } from 'node:zlib'
import type { GitObject } from './git-object'
import { writeEntryHeader } from './pack-entry'
import type { PackTable } from './pack-table'

const TYPE_CODES = { commit: 1, tree: 2, blob: 3, tag: 4 } as const

/**
 * Appends a delta base the pack lacks (taken from the clone) as a whole object after the last entry, as git's
 * `index-pack --fix-thin` does, and records it in the table; returns its entry index. The pack's header and
 * trailer are stale until `sealPack`.
 */
export function appendBase(fd: number, table: PackTable, oid: Buffer, object: GitObject): number {
  const type = TYPE_CODES[object.type]
  const head = Buffer.allocUnsafe(16)
  const headLength = writeEntryHeader(type, object.data.length, head, 0)
  const body = deflateSync(object.data)
  const at = table.end
  writeSync(fd, head, 0, headLength, at)
  writeSync(fd, body, 0, body.length, at + headLength)
  table.reserve(1)
  const i = table.count++
  table.offsets[i] = at
  table.headerLengths[i] = headLength
  table.types[i] = type
  table.realTypes[i] = type
  table.crcs[i] = crc32(body, crc32(head.subarray(0, headLength)))
  oid.copy(table.oids, i * 20)
  table.end = at + headLength + body.length
  return i
}

/**
 * Makes a pack whose entries were appended to whole again: the object count in its header, then a trailer
 * hashed over every byte before it (one sequential read of the pack). Returns the new checksum.
 */
export function sealPack(fd: number, table: PackTable): Buffer {
  const count = Buffer.allocUnsafe(4)
  count.writeUInt32BE(table.count, 0)
  writeSync(fd, count, 0, 4, 8)
  const sha = createHash('sha1')
  const chunk = Buffer.allocUnsafe(1024 * 1024)
  for (let at = 0; at < table.end;) {
    const read = readSync(fd, chunk, 0, Math.min(chunk.length, table.end - at), at)
    if (read <= 0) throw new Error('pack shorter than its entries')
    sha.update(chunk.subarray(0, read))
    at += read
  }
  const checksum = sha.digest()
  writeSync(fd, checksum, 0, 20, table.end)
  ftruncateSync(fd, table.end + 20)
  return checksum
}
