import { readSync } from 'node:fs'
import { AppError } from '../../../../shared/errors'

const PAGE = 32 * 1024
const PAGE_LIMIT = 128

/**
 * Positioned reads of a pack file through a small cache of aligned 32 KiB pages, least recently used dropped
 * first: objects that belong together (a commit and its neighbours, a base and its deltas) sit close in a
 * pack, so one page serves many reads, while a lone read costs one page, never the whole pack.
 */
export class PackPages {
  private readonly pages = new Map<number, Buffer>()
  private lastPage = -1
  private lastBuffer: Buffer | undefined

  constructor(
    private readonly fd: number,
    /** Bytes of the file that may be read (reads past it fail as a truncated pack). */
    private size: number,
  ) {}

  /** The bytes [start, end), as a view valid until a later call replaces its page. */
  bytes(start: number, end: number): Buffer {
    const first = Math.floor(start / PAGE)
    if (first === Math.floor((end - 1) / PAGE))
      return this.page(first).subarray(start - first * PAGE, end - first * PAGE)
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
    if (this.pages.size >= PAGE_LIMIT) {
      const oldest = this.pages.keys().next().value
      if (oldest !== undefined) {
        spare = this.pages.get(oldest)
        this.pages.delete(oldest)
      }
    }
    const length = Math.min(PAGE, this.size - n * PAGE)
    if (length <= 0) throw new AppError('internal', 'Pack file is truncated.')
    const buf = (
      spare && spare.buffer.byteLength >= PAGE
        ? Buffer.from(spare.buffer, spare.byteOffset, PAGE)
        : Buffer.allocUnsafe(PAGE)
    ).subarray(0, length)
    if (readSync(this.fd, buf, 0, length, n * PAGE) < length) throw new AppError('internal', 'Pack file is truncated.')
    this.pages.set(n, buf)
    return buf
  }
}
