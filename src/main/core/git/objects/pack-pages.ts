import { readSync } from 'node:fs'
import { AppError } from '../../../../shared/errors'

const PAGE = 32 * 1024
const PAGE_LIMIT = 128

/** Page size and how many pages are kept. */
export interface PageLayout {
  page: number
  limit: number
}

/**
 * Positioned reads of a pack file through a small cache of aligned 32 KiB pages, least recently used dropped
 * first: objects that belong together (a commit and its neighbours, a base and its deltas) sit close in a
 * pack, so one page serves many reads, while a lone read costs one page, never the whole pack. (A pack's `.idx`
 * is read the same way with smaller pages.)
 */
export class PackPages {
  private readonly pages = new Map<number, Buffer>()
  private lastPage = -1
  private lastBuffer: Buffer | undefined

  constructor(
    private readonly fd: number,
    /** Bytes of the file that may be read (reads past it fail as a truncated pack). */
    private size: number,
    private readonly layout: PageLayout = { page: PAGE, limit: PAGE_LIMIT },
  ) {}

  /** The bytes [start, end), as a view valid until a later call replaces its page. */
  bytes(start: number, end: number): Buffer {
    const first = Math.floor(start / this.layout.page)
    if (first === Math.floor((end - 1) / this.layout.page))
      return this.page(first).subarray(start - first * this.layout.page, end - first * this.layout.page)
    const buf = Buffer.allocUnsafe(end - start)
    if (end > this.size || readSync(this.fd, buf, 0, buf.length, start) < buf.length)
      throw new AppError('internal', 'Pack file is truncated.')
    return buf
  }

  /** Forgets every page and takes the file's new size (it was written to). */
  reset(size: number): void {
    this.pages.clear()
    this.lastPage = -1
    this.lastBuffer = undefined
    this.size = size
  }

  private page(n: number): Buffer {
    // Consecutive reads mostly land on the page just used; it is already the most recent in the LRU.
    if (n === this.lastPage && this.lastBuffer) return this.lastBuffer
    const buf = this.lruPage(n)
    this.lastPage = n
    this.lastBuffer = buf
    return buf
  }

  private lruPage(n: number): Buffer {
    const hit = this.pages.get(n)
    if (hit) {
      // Re-insert so Map order is least recently used first.
      this.pages.delete(n)
      this.pages.set(n, hit)
      return hit
    }
    // The page dropped lends its memory to the new one: no allocation per miss.
    let spare: Buffer | undefined
    if (this.pages.size >= this.layout.limit) {
      const oldest = this.pages.keys().next().value
      if (oldest !== undefined) {
        spare = this.pages.get(oldest)
        this.pages.delete(oldest)
      }
    }
    const { page } = this.layout
    const length = Math.min(page, this.size - n * page)
    if (length <= 0) throw new AppError('internal', 'Pack file is truncated.')
    const buf = (
      spare && spare.buffer.byteLength - spare.byteOffset >= page
        ? Buffer.from(spare.buffer, spare.byteOffset, page)
        : Buffer.allocUnsafe(page)
    ).subarray(0, length)
    if (readSync(this.fd, buf, 0, length, n * page) < length) throw new AppError('internal', 'Pack file is truncated.')
    this.pages.set(n, buf)
    return buf
  }
}
