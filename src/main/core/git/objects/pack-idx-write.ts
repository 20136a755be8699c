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

/**
 * Writes a version 2 `.idx` for the table's entries (names, CRC-32s, offsets) and fsyncs it, section by section
 * through a 1 MiB buffer (the index of a million objects is 28 MB; it need not sit in memory whole).
 */
export function writePackIndex(path: string, table: PackTable, packChecksum: Buffer): void {
  const n = table.count
  const order = sortByName(table)
  const fd = openSync(path, 'w')
  try {
    const out = new SectionWriter(fd)
    out.put(IDX_HEADER)
    const fanout = Buffer.alloc(1024)
    let k = 0
    for (let b = 0; b < 256; b++) {
      while (k < n && (table.oids[(order[k] as number) * 20] as number) <= b) k++
      fanout.writeUInt32BE(k, b * 4)
    }
    out.put(fanout)
    for (let k = 0; k < n; k++) {
      const i = order[k] as number
      out.put(table.oids.subarray(i * 20, i * 20 + 20))
    }
    const word = Buffer.alloc(4)
    for (let k = 0; k < n; k++) {
      word.writeUInt32BE(table.crcs[order[k] as number] as number, 0)
      out.put(word)
    }
    const large: number[] = []
    for (let k = 0; k < n; k++) {
      const offset = table.offsets[order[k] as number] as number
      if (offset < 0x80000000) word.writeUInt32BE(offset, 0)
      else {
        word.writeUInt32BE((0x80000000 | large.length) >>> 0, 0)
        large.push(offset)
      }
      out.put(word)
    }
    const wide = Buffer.alloc(8)
    for (const offset of large) {
      wide.writeUInt32BE(Math.floor(offset / 0x1_0000_0000), 0)
      wide.writeUInt32BE(offset % 0x1_0000_0000, 4)
      out.put(wide)
    }
    out.put(packChecksum)
    out.finish()
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Sequential writes through a buffer, hashed on the way; `finish` appends the SHA-1 of everything written. */
class SectionWriter {
  private readonly buffer = Buffer.allocUnsafe(1024 * 1024)
  private used = 0
  private readonly sha = createHash('sha1')

  constructor(private readonly fd: number) {}

  put(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) this.flush()
    bytes.copy(this.buffer, this.used)
    this.used += bytes.length
  }

  finish(): void {
    this.flush()
    writeSync(this.fd, this.sha.digest())
  }

  private flush(): void {
    const chunk = this.buffer.subarray(0, this.used)
    this.sha.update(chunk)
    writeSync(this.fd, chunk)
    this.used = 0
  }
}
