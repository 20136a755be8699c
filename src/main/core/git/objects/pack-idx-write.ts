import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import type { PackTable } from './pack-table'

const IDX_HEADER = Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2])

/** Entry indexes of a table sorted by object name (a counting sort on the first two bytes, then each bucket). */
export function sortByName(table: PackTable): Int32Array {
  const n = table.count
  const oids = table.oids
  const starts = new Int32Array(65537)
  const key = (i: number): number => ((oids[i * 20] as number) << 8) | (oids[i * 20 + 1] as number)
  for (let i = 0; i < n; i++) starts[key(i) + 1] = (starts[key(i) + 1] as number) + 1
  for (let b = 0; b < 65536; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number)
  const fill = starts.slice(0, 65536)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const slot = fill[key(i)] as number
    fill[key(i)] = slot + 1
    order[slot] = i
  }
  for (let b = 0; b < 65536; b++) {
    const from = starts[b] as number
    const to = starts[b + 1] as number
    // Buckets hold a few dozen names even in huge packs: insertion sort on the remaining 18 bytes.
    for (let x = from + 1; x < to; x++) {
      const item = order[x] as number
      let y = x - 1
      while (y >= from && compareFrom2(oids, order[y] as number, item) > 0) {
        order[y + 1] = order[y] as number
        y--
      }
      order[y + 1] = item
    }
  }
  return order
}

function compareFrom2(oids: Buffer, a: number, b: number): number {
  for (let k = 2; k < 20; k++) {
    const d = (oids[a * 20 + k] as number) - (oids[b * 20 + k] as number)
    if (d !== 0) return d
  }
  return 0
}

/** Writes a version 2 `.idx` for the table's entries (names, CRC-32s, offsets) and fsyncs it. */
export function writePackIndex(path: string, table: PackTable, packChecksum: Buffer): void {
  const n = table.count
  const order = sortByName(table)
  let large = 0
  for (let i = 0; i < n; i++) if ((table.offsets[i] as number) >= 0x80000000) large++
  const out = Buffer.alloc(8 + 1024 + n * 28 + large * 8 + 40)
  IDX_HEADER.copy(out, 0)
  const names = 8 + 1024
  const crcs = names + n * 20
  const offsets = crcs + n * 4
  const larges = offsets + n * 4
  let bigIndex = 0
  for (let k = 0; k < n; k++) {
    const i = order[k] as number
    table.oids.copy(out, names + k * 20, i * 20, i * 20 + 20)
    out.writeUInt32BE(table.crcs[i] as number, crcs + k * 4)
    const offset = table.offsets[i] as number
    if (offset < 0x80000000) out.writeUInt32BE(offset, offsets + k * 4)
    else {
      out.writeUInt32BE((0x80000000 | bigIndex) >>> 0, offsets + k * 4)
      out.writeUInt32BE(Math.floor(offset / 0x1_0000_0000), larges + bigIndex * 8)
      out.writeUInt32BE(offset % 0x1_0000_0000, larges + bigIndex * 8 + 4)
      bigIndex++
    }
  }
  const counts = new Uint32Array(256)
  for (let k = 0; k < n; k++) {
    const first = out[names + k * 20] as number
    counts[first] = (counts[first] as number) + 1
  }
  let running = 0
  for (let b = 0; b < 256; b++) {
    running += counts[b] as number
    out.writeUInt32BE(running, 8 + b * 4)
  }
  const tail = larges + large * 8
  packChecksum.copy(out, tail)
  createHash('sha1')
    .update(out.subarray(0, tail + 20))
    .digest()
    .copy(out, tail + 20)
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, out)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
