/** A file split into lines for diffing: the raw bytes, where each line starts, and a class id per line. */
export interface LineFile {
  readonly data: Buffer
  /** Byte offset where line i starts; `starts[count]` is the end of the data. */
  readonly starts: Int32Array
  /** Equal ids mean byte-identical lines (the trailing newline included). */
  readonly ids: Int32Array
  readonly count: number
}

// As a signed 32-bit value, so the hash stays a small integer for V8 and never becomes a heap number.
const FNV_OFFSET = 0x811c9dc5 | 0
const FNV_PRIME = 0x01000193

/**
 * Interns line contents so that equal lines share one id across every file split with it. Lines are
 * found by an FNV-1a hash of their bytes in an open-addressing table and compared byte by byte, so no
 * string is made per line (xdiff's xdl_classify_record does the same).
 */
export class LineClasses {
  private slots = new Int32Array(128).fill(-1)
  private readonly data: Buffer[] = []
  private starts = new Int32Array(64)
  private ends = new Int32Array(64)
  private hashes = new Int32Array(64)
  private count = 0
  private lastData: Buffer | undefined
  private heldBytes = 0

  /** Distinct lines interned so far. */
  get size(): number {
    return this.count
  }

  /** Bytes of the files whose lines the table refers to (it keeps them alive). */
  get bytes(): number {
    return this.heldBytes
  }

  /** The id of the bytes `data[start, end)`; equal bytes, equal id, whatever the encoding. */
  idOf(data: Buffer, start: number, end: number): number {
    let hash = FNV_OFFSET
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (data[i] as number), FNV_PRIME)
    return this.intern(hash, data, start, end)
  }

  /** The id of `data[start, end)` whose FNV-1a hash the caller already computed. */
  intern(hash: number, data: Buffer, start: number, end: number): number {
    const mask = this.slots.length - 1
    for (let slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number
      if (id === -1) return this.add(slot, hash, data, start, end)
      if (this.hashes[id] === hash && this.same(id, data, start, end)) return id
    }
  }

  private same(id: number, data: Buffer, start: number, end: number): boolean {
    const s = this.starts[id] as number
    const length = (this.ends[id] as number) - s
    if (length !== end - start) return false
    const other = this.data[id] as Buffer
    if (other === data && s === start) return true
    // A loop beats Buffer.compare on the short lines of source files: no native call per line.
    for (let i = 0; i < length; i++) if (other[s + i] !== data[start + i]) return false
    return true
  }

  private add(slot: number, hash: number, data: Buffer, start: number, end: number): number {
    const id = this.count++
    if (id === this.starts.length) {
      this.starts = grow(this.starts)
      this.ends = grow(this.ends)
      this.hashes = grow(this.hashes)
    }
    if (data !== this.lastData) {
      this.lastData = data
      this.heldBytes += data.length
    }
    this.data.push(data)
    this.starts[id] = start
    this.ends[id] = end
    this.hashes[id] = hash
    this.slots[slot] = id
    // Kept at most half full, so probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash()
    return id
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1)
    const mask = slots.length - 1
    for (let id = 0; id < this.count; id++) {
      let slot = spread(this.hashes[id] as number) & mask
      while (slots[slot] !== -1) slot = (slot + 1) & mask
      slots[slot] = id
    }
    this.slots = slots
  }
}

// FNV-1a's low bits follow the lines' last bytes closely (every line ends in "\n"): murmur3's finaliser mixes the
// high bits in before the table takes the low ones, so similar lines do not pile up in one run of slots.
function spread(hash: number): number {
  let h = hash ^ (hash >>> 16)
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2)
  next.set(a)
  return next
}

/** Splits bytes into lines ending in \n (the last one may lack it), as git's xdiff does; one pass hashes and splits. */
export function splitLines(data: Buffer, classes: LineClasses): LineFile {
  let count = 0
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) count++
  const length = data.length
  if (length > 0 && data[length - 1] !== 10) count++
  const starts = new Int32Array(count + 1)
  const ids = new Int32Array(count)
  let line = 0
  let start = 0
  let hash = FNV_OFFSET
  for (let i = 0; i < length; i++) {
    const c = data[i] as number
    hash = Math.imul(hash ^ c, FNV_PRIME)
    if (c === 10) {
      starts[line] = start
      ids[line++] = classes.intern(hash, data, start, i + 1)
      start = i + 1
      hash = FNV_OFFSET
    }
  }
  if (start < length) {
    starts[line] = start
    ids[line] = classes.intern(hash, data, start, length)
  }
  starts[count] = length
  return { data, starts, ids, count }
}

/** The bytes of lines [from, to) of a file. */
export function lineBytes(file: LineFile, from: number, to: number): Buffer {
  return file.data.subarray(file.starts[from] ?? 0, file.starts[to] ?? file.data.length)
}
