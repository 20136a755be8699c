import { readFileSync } from 'node:fs'
import { checkedBody, writeCheckedFile } from '../checked-file'
import type { CommitIndex } from '../commit-index'
import { Known, PatchIdTable } from './patch-id-table'

const MAGIC = 0x54594551 // "TYEQ"
/** Bumped whenever the layout or the pinned patch-id definition changes; an older file is rebuilt. */
const FORMAT_VERSION = 1
const HEADER = 16

/*
 * Layout (little-endian, sections 8-byte aligned, CRC-32 of all preceding bytes last):
 * magic, version, entry count m, key bytes; key (the clone, as the commit index names it);
 * oids 20m (sorted); states u8[m]; header ids u32[2m]; patch-ids 20m.
 * Only commits something is known of are written, so the file grows as the table fills.
 */

/** Writes what `table` knows, atomically (temp file, then rename). */
export function writeTableFile(path: string, key: string, table: PatchIdTable): void {
  const positions: number[] = []
  for (let i = 0; i < table.index.size; i++) if (table.known[i] !== Known.Nothing) positions.push(i)
  const m = positions.length
  const keyBytes = Buffer.from(key, 'utf8')
  const head = Buffer.alloc(HEADER)
  head.writeUInt32LE(MAGIC, 0)
  head.writeUInt32LE(FORMAT_VERSION, 4)
  head.writeUInt32LE(m, 8)
  head.writeUInt32LE(keyBytes.length, 12)
  const oids = Buffer.alloc(20 * m)
  const states = Buffer.alloc(m)
  const headers = new Uint32Array(2 * m)
  const patches = Buffer.alloc(20 * m)
  const source = table.index.columns.oids
  positions.forEach((pos, k) => {
    source.copy(oids, 20 * k, 20 * pos, 20 * pos + 20)
    states[k] = table.known[pos] as number
    headers[2 * k] = table.header[2 * pos] as number
    headers[2 * k + 1] = table.header[2 * pos + 1] as number
    table.patch.copy(patches, 20 * k, 20 * pos, 20 * pos + 20)
  })
  const parts = [head, keyBytes, oids, states, Buffer.from(headers.buffer), patches].flatMap((b) => [b, padding(b)])
  writeCheckedFile(path, Buffer.concat(parts))
}

/**
 * A table for `index` filled from the file, or an empty one when the file is missing, corrupt, of another
 * version or of another clone. Commits of the file the index no longer holds are dropped.
 */
export function readTableFile(path: string, key: string, index: CommitIndex): PatchIdTable {
  const table = new PatchIdTable(index)
  let file: Buffer
  try {
    file = readFileSync(path)
  } catch {
    return table
  }
  try {
    fill(table, file, key)
    return table
  } catch {
    return new PatchIdTable(index)
  }
}

function fill(table: PatchIdTable, file: Buffer, key: string): void {
  const body = checkedBody(file)
  if (body === undefined || body.length < HEADER) return
  if (body.readUInt32LE(0) !== MAGIC || body.readUInt32LE(4) !== FORMAT_VERSION) return
  const bodyLength = body.length
  const m = body.readUInt32LE(8)
  let at = HEADER
  const take = (bytes: number): Buffer => {
    if (at + bytes > bodyLength) throw new RangeError('table file section past its end')
    const slice = body.subarray(at, at + bytes)
    at += bytes + ((8 - (bytes % 8)) % 8)
    return slice
  }
  if (take(body.readUInt32LE(12)).toString('utf8') !== key) return
  const oids = take(20 * m)
  const states = take(m)
  const headers = take(8 * m)
  const patches = take(20 * m)
  const target = table.index.columns.oids
  const size = table.index.size
  for (let k = 0, pos = 0; k < m && pos < size;) {
    const c = oids.compare(target, 20 * pos, 20 * pos + 20, 20 * k, 20 * k + 20)
    if (c < 0) k++
    else if (c > 0) pos++
    else {
      const state = states[k] as Known
      if (state === Known.NoPatch) table.setNoPatch(pos)
      else {
        table.header[2 * pos] = headers.readUInt32LE(8 * k)
        table.header[2 * pos + 1] = headers.readUInt32LE(8 * k + 4)
        if (state === Known.Patch) {
          patches.copy(table.patch, 20 * pos, 20 * k, 20 * k + 20)
          table.markKnown(pos, Known.Patch)
        } else table.markKnown(pos, Known.Header)
      }
      k++
      pos++
    }
  }
}

function padding(b: Buffer): Buffer {
  return Buffer.alloc((8 - (b.length % 8)) % 8)
}
