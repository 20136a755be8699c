import { readFileSync } from 'node:fs'
import { checkedBody, writeCheckedFile } from './checked-file'
import type { CommitColumns } from './commit-columns'
import { LABELINGS } from './commit-reach-labels'

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
    c.strings.length,
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
  push(view(c.stringStart))
  push(view(c.reach))
  push(c.oids)
  push(view(Uint32Array.from(picked.map(([p]) => p))))
  push(Buffer.from(picked.map(([, sha]) => sha).join(''), 'hex'))
  push(c.strings)
  writeCheckedFile(path, Buffer.concat(parts, size))
}

/** Reads an index file written for `gitdir`; undefined when missing, corrupt, of another version or another clone. */
export function readIndexFile(path: string, gitdir: string): CommitColumns | undefined {
  let file: Buffer
  try {
    file = readFileSync(path)
  } catch {
    return undefined
  }
  try {
    return decode(file, gitdir)
  } catch {
    return undefined
  }
}

function decode(file: Buffer, gitdir: string): CommitColumns | undefined {
  if (file.length < HEADER + 4) return undefined
  // Typed-array views need aligned offsets; a pooled Buffer might not be.
  const buf = file.byteOffset % 8 === 0 ? file : Buffer.from(file)
  const bodyLength = buf.length - 4
  if (buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== FORMAT_VERSION) return undefined
  if (checkedBody(buf) === undefined) return undefined
  const [count, parentCount, stringBytes, pickedCount, gitdirBytes] = [8, 12, 16, 20, 24].map((o) =>
    buf.readUInt32LE(o),
  ) as [number, number, number, number, number]
  let at = HEADER
  const take = (bytes: number): Buffer => {
    if (at + bytes > bodyLength) throw new RangeError('index file section past its end')
    const slice = buf.subarray(at, at + bytes)
    at += bytes + ((8 - (bytes % 8)) % 8)
    return slice
  }
  const f64 = (n: number): Float64Array => {
    const b = take(n * 8)
    return new Float64Array(b.buffer, b.byteOffset, n)
  }
  const u32 = (n: number): Uint32Array => {
    const b = take(n * 4)
    return new Uint32Array(b.buffer, b.byteOffset, n)
  }
  if (take(gitdirBytes).toString('utf8') !== gitdir) return undefined
  const corrected = f64(count)
  const time = f64(count)
  const parentStart = u32(count + 1)
  const parents = u32(parentCount)
  const generation = u32(count)
  const pr = u32(count)
  const stringStart = u32(3 * count + 1)
  const reach = u32(3 * LABELINGS * count)
  const oids = take(count * 20)
  const pickedPositions = u32(pickedCount)
  const pickedOids = take(pickedCount * 20)
  const strings = take(stringBytes)
  const pickedFrom = new Map<number, string>()
  pickedPositions.forEach((p, i) => pickedFrom.set(p, pickedOids.toString('hex', i * 20, i * 20 + 20)))
  return { count, oids, parentStart, parents, generation, corrected, time, pr, stringStart, strings, reach, pickedFrom }
}
