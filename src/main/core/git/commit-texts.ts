import { closeSync } from 'node:fs'
import { PackPages } from './objects/pack-pages'

/**
 * Author name, email and subject of every commit of an index: string 3i + k (k = 0 name, 1 email, 2 subject) of
 * commit i. They are more than a third of an index's bytes and only a page of the graph or a record asked for
 * reads them, so a loaded index leaves them in its file and reads them when asked.
 */
export interface CommitTexts {
  /** String k of commit i. */
  text(i: number, k: number): string
  /** Every string at once, as the index file lays them out: offsets (3n + 1) into the UTF-8 bytes. */
  whole(): { starts: Uint32Array; bytes: Buffer }
}

/** Texts held in memory (a freshly built or updated index). */
export function memoryTexts(starts: Uint32Array, bytes: Buffer): CommitTexts {
  return {
    text: (i, k) => bytes.toString('utf8', starts[3 * i + k] ?? 0, starts[3 * i + k + 1] ?? 0),
    whole: () => ({ starts, bytes }),
  }
}

/** Where the two text sections sit in an index file. */
export interface TextSections {
  /** Byte offset of the offsets section (u32 little-endian, 3n + 1 of them). */
  startsAt: number
  count: number
  /** Byte offset and length of the UTF-8 bytes. */
  bytesAt: number
  length: number
}

const PAGE = 4096
const PAGE_LIMIT = 16
// The descriptor is the texts' own: closed when nothing refers to them any more (an index replaced after a fetch).
const descriptors = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd)
  } catch {
    // Already closed.
  }
})

/**
 * Texts read from an open index file through a few 4 KiB pages (at most 64 KiB, however long the history). The
 * descriptor keeps the file read as it was when opened: a rewrite of the index replaces it by rename, never in place.
 */
export function fileTexts(fd: number, fileSize: number, at: TextSections): CommitTexts {
  const pages = new PackPages(fd, fileSize, { page: PAGE, limit: PAGE_LIMIT })
  const start = (s: number): number => pages.bytes(at.startsAt + 4 * s, at.startsAt + 4 * s + 4).readUInt32LE(0)
  const texts: CommitTexts = {
    text: (i, k) => {
      const [from, to] = [start(3 * i + k), start(3 * i + k + 1)]
      return to > from ? pages.bytes(at.bytesAt + from, at.bytesAt + to).toString('utf8') : ''
    },
    whole: () => {
      const starts = new Uint32Array(3 * at.count + 1)
      const raw = pages.bytes(at.startsAt, at.startsAt + starts.byteLength)
      Buffer.from(starts.buffer).set(raw)
      return { starts, bytes: Buffer.from(pages.bytes(at.bytesAt, at.bytesAt + at.length)) }
    },
  }
  descriptors.register(texts, fd)
  return texts
}
