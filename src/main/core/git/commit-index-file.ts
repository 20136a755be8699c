import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { writeCheckedFile } from './checked-file'
import type { CommitColumns } from './commit-columns'
import { LABELINGS } from './commit-reach-labels'
import { fileTexts } from './commit-texts'

const MAGIC = 0x54594349 // "TYCI"
/** Bumped whenever the layout changes; an older file is rebuilt. */
export const FORMAT_VERSION = 3
const HEADER = 32

/*
 * Layout (little-endian, sections 8-byte aligned, CRC-32 of all preceding bytes last):
 * magic, version, count n, parent count m, string bytes, picked count k, gitdir bytes, reserved;
 * gitdir; corrected f64[n]; time f64[n]; parentStart u32[n+1]; parents u32[m]; generation u32[n];
 * pr u32[n]; stringStart u32[3n+1]; reach u32[3kn] (k = LABELINGS); oids 20n; picked positions u32[k]; picked oids 20k; strings.
 */

/** Writes the index for `gitdir` atomically (temp file, then rename). */
export function writeIndexFile(path: string, gitdir: string, c: CommitColumns): void {
  const gitdirBytes = Buffer.from(gitdir, 'utf8')
  const texts = c.texts.whole()
  const picked = [...c.pickedFrom.entries()].sort((a, b) => a[0] - b[0])
  const parts: Buffer[] = []
  let size = 0
  const push = (b: Buffer): void => {
    parts.push(b)
    size += b.length
    const pad = (8 - (size % 8)) % 8
    if (pad) {
      parts.push(Buffer.alloc(pad))
      size += pad
    }
  }
  const view = (a: Float64Array | Uint32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

  const header = Buffer.alloc(HEADER)
  const values = [
    MAGIC,
    FORMAT_VERSION,
    c.count,
    c.parents.length,
    texts.bytes.length,
    picked.length,
    gitdirBytes.length,
    0,
  ]
  values.forEach((v, i) => header.writeUInt32LE(v, i * 4))
  push(header)
  push(gitdirBytes)
  push(view(c.corrected))
  push(view(c.time))
  push(view(c.parentStart))
  push(view(c.parents))
  push(view(c.generation))
  push(view(c.pr))
  push(view(texts.starts))
  push(view(c.reach))
  push(c.oids)
  push(view(Uint32Array.from(picked.map(([p]) => p))))
  push(Buffer.from(picked.map(([, sha]) => sha).join(''), 'hex'))
  push(texts.bytes)
  writeCheckedFile(path, Buffer.concat(parts, size))
}

/**
 * Reads an index file written for `gitdir`; undefined when missing, corrupt, of another version or another clone.
 * The file is checked and read in pieces, never held whole: every column but the texts is copied into memory, the
 * texts stay in the file (see commit-texts.ts), read through a descriptor the columns keep.
 */
export function readIndexFile(path: string, gitdir: string): CommitColumns | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }
  let columns: CommitColumns | undefined
  try {
    columns = decode(fd, gitdir)
  } catch {
    columns = undefined
  }
  // On success the texts own the descriptor from now on.
  if (!columns) closeSync(fd)
  return columns
}

const CHUNK = 1 << 20

function decode(fd: number, gitdir: string): CommitColumns | undefined {
  const size = fstatSync(fd).size
  if (size < HEADER + 4) return undefined
  const read = (start: number, length: number): Buffer => {
    // Not pooled, so typed-array views over it are aligned.
    const buf = Buffer.allocUnsafeSlow(length)
    if (readSync(fd, buf, 0, length, start) !== length) throw new RangeError('index file shorter than it says')
    return buf
  }
  const head = read(0, HEADER)
  if (head.readUInt32LE(0) !== MAGIC || head.readUInt32LE(4) !== FORMAT_VERSION) return undefined
  if (!checked(fd, size)) return undefined
  const [count, parentCount, stringBytes, pickedCount, gitdirBytes] = [8, 12, 16, 20, 24].map((o) =>
    head.readUInt32LE(o),
  ) as [number, number, number, number, number]
  const bodyLength = size - 4
  let at = HEADER
  const skip = (bytes: number): number => {
    if (at + bytes > bodyLength) throw new RangeError('index file section past its end')
    const start = at
    at += bytes + ((8 - (bytes % 8)) % 8)
    return start
  }
  // Sections in file order; the eager ones are read as two runs, around the text offsets.
  const gitdirAt = skip(gitdirBytes)
  const correctedAt = skip(count * 8)
  const timeAt = skip(count * 8)
  const parentStartAt = skip((count + 1) * 4)
  const parentsAt = skip(parentCount * 4)
  const generationAt = skip(count * 4)
  const prAt = skip(count * 4)
  const startsAt = skip((3 * count + 1) * 4)
  const reachAt = skip(3 * LABELINGS * count * 4)
  const oidsAt = skip(count * 20)
  const pickedPositionsAt = skip(pickedCount * 4)
  const pickedOidsAt = skip(pickedCount * 20)
  const bytesAt = skip(stringBytes)
  const first = read(HEADER, startsAt - HEADER)
  const second = read(reachAt, bytesAt - reachAt)
  const run = (offset: number): { buf: Buffer; from: number } =>
    offset < startsAt ? { buf: first, from: offset - HEADER } : { buf: second, from: offset - reachAt }
  const bytes = (offset: number, length: number): Buffer => {
    const { buf, from } = run(offset)
    return buf.subarray(from, from + length)
  }
  const f64 = (offset: number, n: number): Float64Array => {
    const { buf, from } = run(offset)
    return new Float64Array(buf.buffer, buf.byteOffset + from, n)
  }
  const u32 = (offset: number, n: number): Uint32Array => {
    const { buf, from } = run(offset)
    return new Uint32Array(buf.buffer, buf.byteOffset + from, n)
  }
  if (bytes(gitdirAt, gitdirBytes).toString('utf8') !== gitdir) return undefined
  const pickedPositions = u32(pickedPositionsAt, pickedCount)
  const pickedOids = bytes(pickedOidsAt, pickedCount * 20)
  const pickedFrom = new Map<number, string>()
  pickedPositions.forEach((p, i) => pickedFrom.set(p, pickedOids.toString('hex', i * 20, i * 20 + 20)))
  return {
    count,
    corrected: f64(correctedAt, count),
    time: f64(timeAt, count),
    parentStart: u32(parentStartAt, count + 1),
    parents: u32(parentsAt, parentCount),
    generation: u32(generationAt, count),
    pr: u32(prAt, count),
    reach: u32(reachAt, 3 * LABELINGS * count),
    oids: bytes(oidsAt, count * 20),
    texts: fileTexts(fd, size, { startsAt, count, bytesAt, length: stringBytes }),
    pickedFrom,
  }
}

// Whether the CRC-32 trailer matches the body, read a chunk at a time.
function checked(fd: number, size: number): boolean {
  const chunk = Buffer.allocUnsafeSlow(Math.min(CHUNK, size))
  const bodyLength = size - 4
  let crc = 0
  for (let at = 0; at < bodyLength;) {
    const want = Math.min(chunk.length, bodyLength - at)
    const got = readSync(fd, chunk, 0, want, at)
    if (got <= 0) return false
    crc = crc32(chunk.subarray(0, got), crc)
    at += got
  }
  const trailer = Buffer.alloc(4)
  return readSync(fd, trailer, 0, 4, bodyLength) === 4 && crc >>> 0 === trailer.readUInt32LE(0)
}
