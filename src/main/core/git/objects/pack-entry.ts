/** Pack entry type codes (git's `enum object_type`). */
export const OBJ_COMMIT = 1
export const OBJ_TREE = 2
export const OBJ_BLOB = 3
export const OBJ_TAG = 4
export const OBJ_OFS_DELTA = 6
export const OBJ_REF_DELTA = 7

/** Type names by code, as they appear in an object's `<type> <size>\0` header. */
export const TYPE_NAMES = ['', 'commit', 'tree', 'blob', 'tag'] as const

/** The header of one pack entry, as `readEntryHeader` decodes it (one instance reused per reader). */
export interface EntryHeader {
  /** 1–4 for whole objects, 6 (OFS_DELTA) or 7 (REF_DELTA). */
  type: number
  /** Inflated size of the entry's data (for a delta, of the delta itself). */
  size: number
  /** Bytes from the entry's start to its zlib data: the type/size varint plus the base reference. */
  length: number
  /** OFS_DELTA: how far back (in bytes) the base entry starts. */
  distance: number
}

/** A fresh header to pass to `readEntryHeader`. */
export function entryHeader(): EntryHeader {
  return { type: 0, size: 0, length: 0, distance: 0 }
}

/**
 * Decodes the entry header at `buf[at..end)` into `into`; false when the bytes end before the header does.
 * For REF_DELTA the 20-byte base name sits at `at + length - 20`. Types are not checked here.
 */
export function readEntryHeader(buf: Buffer, at: number, end: number, into: EntryHeader): boolean {
  let pos = at
  if (pos >= end) return false
  let byte = buf[pos++] as number
  const type = (byte >> 4) & 7
  let size = byte & 0x0f
  let shift = 4
  while (byte & 0x80) {
    if (pos >= end || shift > 60) return false
    byte = buf[pos++] as number
    size += (byte & 0x7f) * 2 ** shift
    shift += 7
  }
  let distance = 0
  if (type === OBJ_OFS_DELTA) {
    if (pos >= end) return false
    byte = buf[pos++] as number
    distance = byte & 0x7f
    while (byte & 0x80) {
      if (pos >= end) return false
      byte = buf[pos++] as number
      // git's offset encoding adds one per continuation byte, so every length has its own range.
      distance = (distance + 1) * 128 + (byte & 0x7f)
    }
  } else if (type === OBJ_REF_DELTA) {
    if (pos + 20 > end) return false
    pos += 20
  }
  into.type = type
  into.size = size
  into.length = pos - at
  into.distance = distance
  return true
}

/** Writes the type/size varint of a whole-object entry at `out[at..]`; returns its length. */
export function writeEntryHeader(type: number, size: number, out: Buffer, at: number): number {
  let pos = at
  let rest = Math.floor(size / 16)
  let byte = (type << 4) | (size % 16)
  while (rest > 0) {
    out[pos++] = byte | 0x80
    byte = rest % 128
    rest = Math.floor(rest / 128)
  }
  out[pos++] = byte
  return pos - at
}

/** Writes an OFS_DELTA base distance in git's encoding at `out[at..]`; returns its length. */
export function writeOfsDistance(distance: number, out: Buffer, at: number): number {
  const bytes = [distance % 128]
  let rest = Math.floor(distance / 128)
  while (rest > 0) {
    rest -= 1
    bytes.push(0x80 | (rest % 128))
    rest = Math.floor(rest / 128)
  }
  for (let i = 0; i < bytes.length; i++) out[at + i] = bytes[bytes.length - 1 - i] as number
  return bytes.length
}

/** The `<type> <size>\0` header git hashes in front of an object's content. */
export function objectHeader(type: number, size: number): string {
  return `${TYPE_NAMES[type] ?? ''} ${size}\0`
}
