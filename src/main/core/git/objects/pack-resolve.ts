import { hash } from 'node:crypto'
import { AppError } from '../../../../shared/errors'
import { applyDelta, applyDeltaInto, deltaSizes } from './delta'
import type { GitObject } from './git-object'
import { entryHeader, OBJ_OFS_DELTA, OBJ_REF_DELTA, objectHeader, readEntryHeader } from './pack-entry'
import { appendBase } from './pack-thin'
import type { PackTable } from './pack-table'
import { PackPages } from './pack-pages'
import { StreamInflate } from './stream-inflate'

/** Delta bases kept in memory along the chain being resolved (a dropped one is rebuilt when needed again). */
const BASE_BUDGET = 32 * 1024 * 1024
/** Room kept in front of a resolved object's bytes for its `<type> <size>\0` header, so one hash call covers both. */
const RESERVE = 32
/** Longest stretch of synchronous work between two turns of the event loop. */
const SLICE_MS = 20

/** What the second pass needs besides the table of the first. */
export interface ResolveOptions {
  /** The spooled pack, open for reading and writing (thin-pack bases are appended to it). */
  fd: number
  table: PackTable
  /** A base the pack lacks, from the clone's own objects (thin packs); undefined when the clone lacks it too. */
  external?: (oid: Buffer) => GitObject | undefined
  signal?: AbortSignal
  onProgress?: (resolved: number, total: number) => void
}

interface Frame {
  index: number
  type: number
  data: Buffer | undefined
  ofsNext: number
  ofsEnd: number
  refNext: number
  refEnd: number
}

/**
 * The second pass of git's `index-pack`: every delta is resolved once, depth first from its whole-object
 * root, so a base is inflated once for all its children and the chain in memory is bounded (a base dropped
 * for room is rebuilt from the nearest one kept). REF_DELTA bases the pack lacks are taken from the clone and
 * appended to the pack (`--fix-thin`). Returns how many bases were appended.
 */
export async function resolveDeltas(opts: ResolveOptions): Promise<number> {
  const resolver = new Resolver(opts)
  try {
    return await resolver.run()
  } finally {
    resolver.close()
  }
}

class Resolver {
  private readonly table: PackTable
  private readonly ofsStart: Int32Array
  private readonly ofsChildren: Int32Array
  private readonly refOrder: Int32Array
  private readonly refKeys: Buffer
  private readonly inflate = new StreamInflate()
  private readonly scratches = { result: Buffer.alloc(0), delta: Buffer.alloc(0) }
  private readonly header = entryHeader()
  private readonly pages: PackPages
  private readonly stack: Frame[] = []
  private held = 0
  private resolved = 0
  private readonly deltas: number
  private sliceStart = Date.now()

  constructor(private readonly opts: ResolveOptions) {
    const table = opts.table
    this.table = table
    this.pages = new PackPages(opts.fd, table.end + 20)
    const n = table.count
    // Children by base, OFS_DELTA: a compressed adjacency list in pack order.
    this.ofsStart = new Int32Array(n + 1)
    let deltas = 0
    for (let i = 0; i < n; i++) {
      const base = table.bases[i] as number
      if (base >= 0) this.ofsStart[base + 1] = (this.ofsStart[base + 1] as number) + 1
      if (table.types[i] === OBJ_OFS_DELTA || table.types[i] === OBJ_REF_DELTA) deltas++
    }
    this.deltas = deltas
    for (let i = 0; i < n; i++) this.ofsStart[i + 1] = (this.ofsStart[i + 1] as number) + (this.ofsStart[i] as number)
    this.ofsChildren = new Int32Array(this.ofsStart[n] as number)
    const fill = this.ofsStart.slice(0, n)
    for (let i = 0; i < n; i++) {
      const base = table.bases[i] as number
      if (base < 0) continue
      const slot = fill[base] as number
      fill[base] = slot + 1
      this.ofsChildren[slot] = i
    }
    // REF_DELTA: sorted by base name, so the children of any resolved object are found by binary search.
    const refs = table.refDeltas.length
    const order = Array.from({ length: refs }, (_, k) => k)
    order.sort((a, b) => Buffer.compare(table.refBaseOids[a] as Buffer, table.refBaseOids[b] as Buffer) || a - b)
    this.refOrder = Int32Array.from(order, (k) => table.refDeltas[k] as number)
    this.refKeys = Buffer.concat(order.map((k) => table.refBaseOids[k] as Buffer))
  }

  async run(): Promise<number> {
    const table = this.table
    const initial = table.count
    for (let i = 0; i < initial; i++) {
      if (table.types[i] === OBJ_OFS_DELTA || table.types[i] === OBJ_REF_DELTA) continue
      if (this.hasChildren(i)) await this.resolveFrom(i, undefined)
    }
    let appended = 0
    for (let k = 0; k < table.refDeltas.length && this.resolved < this.deltas; k++) {
      const i = table.refDeltas[k] as number
      if (table.realTypes[i] !== 0) continue
      const oid = table.refBaseOids[k] as Buffer
      const base = this.opts.external?.(oid)
      if (!base) continue
      const at = appendBase(this.opts.fd, table, oid, base)
      this.pages.reset(table.end)
      appended++
      await this.resolveFrom(at, base.data)
    }
    if (this.resolved < this.deltas) {
      const missing = this.deltas - this.resolved
      throw new AppError(
        'clone-failed',
        `The pack has ${missing} delta${missing === 1 ? '' : 's'} whose base is neither in the pack nor in the clone; fetch again.`,
      )
    }
    this.opts.onProgress?.(this.resolved, this.deltas)
    return appended
  }

  close(): void {
    this.inflate.close()
  }

  private hasChildren(i: number): boolean {
    if (i < this.ofsStart.length - 1 && (this.ofsStart[i + 1] as number) > (this.ofsStart[i] as number)) return true
    if (this.refOrder.length === 0) return false
    const [from, to] = this.refRange(i)
    return from < to
  }

  // The slice of `refOrder` whose base is entry i's object.
  private refRange(i: number): [number, number] {
    const oids = this.table.oids
    const keys = this.refKeys
    const find = (upper: boolean): number => {
      let lo = 0
      let hi = this.refOrder.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        const c = keys.compare(oids, i * 20, i * 20 + 20, mid * 20, mid * 20 + 20)
        if (c < 0 || (upper && c === 0)) lo = mid + 1
        else hi = mid
      }
      return lo
    }
    return [find(false), find(true)]
  }

  private frame(index: number, data: Buffer | undefined): Frame {
    const ofsEnd = index < this.ofsStart.length - 1 ? (this.ofsStart[index + 1] as number) : 0
    const ofsNext = index < this.ofsStart.length - 1 ? (this.ofsStart[index] as number) : 0
    const [refNext, refEnd] = this.refOrder.length > 0 ? this.refRange(index) : [0, 0]
    return { index, type: this.table.realTypes[index] as number, data, ofsNext, ofsEnd, refNext, refEnd }
  }

  private async resolveFrom(root: number, data: Buffer | undefined): Promise<void> {
    const stack = this.stack
    stack.push(this.frame(root, data))
    if (data) this.keep(data)
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame
      let child: number
      if (top.ofsNext < top.ofsEnd) child = this.ofsChildren[top.ofsNext++] as number
      else if (top.refNext < top.refEnd) child = this.refOrder[top.refNext++] as number
      else {
        stack.pop()
        if (top.data) this.held -= top.data.length
        continue
      }
      if (this.table.realTypes[child] !== 0) continue
      const base = this.dataOf(stack.length - 1)
      const delta = this.inflateEntry(child, false)
      // Most results are leaves, hashed and dropped, so they go to a scratch buffer; a base of others is copied
      // out to be kept (its REF_DELTA children are known only once its name is).
      const size = deltaSizes(delta).target
      const out = this.scratch('result', RESERVE + size)
      applyDeltaInto(base, delta, out, RESERVE)
      this.record(child, top.type, out, size)
      if (this.hasChildren(child)) {
        const result = Buffer.from(out.subarray(RESERVE, RESERVE + size))
        stack.push(this.frame(child, result))
        this.keep(result)
      }
      if (Date.now() - this.sliceStart >= SLICE_MS) await this.pause()
    }
  }

  // Hashes the object at out[RESERVE..RESERVE+size), writing its `<type> <size>\0` header just before it.
  private record(i: number, type: number, out: Buffer, size: number): void {
    this.table.realTypes[i] = type
    const prefix = objectHeader(type, size)
    out.write(prefix, RESERVE - prefix.length, 'latin1')
    hash('sha1', out.subarray(RESERVE - prefix.length, RESERVE + size), 'buffer').copy(this.table.oids, i * 20)
    this.resolved++
  }

  private scratch(which: 'result' | 'delta', size: number): Buffer {
    const current = this.scratches[which]
    if (current.length >= size) return current
    const grown = Buffer.allocUnsafe(Math.max(size, current.length * 2))
    this.scratches[which] = grown
    return grown
  }

  // Accounts for a base now held by the top frame, dropping the oldest held bases beyond the budget.
  private keep(data: Buffer): void {
    this.held += data.length
    for (let k = 0; this.held > BASE_BUDGET && k < this.stack.length - 1; k++) {
      const frame = this.stack[k] as Frame
      if (!frame.data) continue
      this.held -= frame.data.length
      frame.data = undefined
    }
  }

  // The content of the object of stack frame k, rebuilt from the nearest frame below that still holds its own.
  private dataOf(k: number): Buffer {
    const frame = this.stack[k] as Frame
    if (frame.data) return frame.data
    let j = k
    while (j >= 0 && !(this.stack[j] as Frame).data) j--
    let data =
      j >= 0 ? ((this.stack[j] as Frame).data as Buffer) : this.inflateEntry((this.stack[0] as Frame).index, true)
    for (let m = j < 0 ? 1 : j + 1; m <= k; m++)
      data = applyDelta(data, this.inflateEntry((this.stack[m] as Frame).index, false))
    frame.data = data
    this.keep(data)
    return data
  }

  // Reads entry i's bytes from the spooled pack and inflates its data (a whole object, or a delta): into a
  // buffer of its own when the caller keeps it, else into a scratch buffer valid until the next call.
  private inflateEntry(i: number, keep: boolean): Buffer {
    const start = this.table.offsets[i] as number
    const length = this.table.entryEnd(i) - start
    const bytes = this.pages.bytes(start, start + length)
    const h = this.header
    if (!readEntryHeader(bytes, 0, length, h))
      throw new AppError('clone-failed', `The pack entry at ${start} changed on disk; fetch again.`)
    const out = keep ? Buffer.allocUnsafe(h.size + 1) : this.scratch('delta', h.size + 1)
    // The first pass found this entry's zlib stream to span exactly these bytes and inflate to exactly h.size.
    this.inflate.reset()
    this.inflate.write(bytes, h.length, length, out, 0, h.size + 1)
    if (this.inflate.written !== h.size)
      throw new AppError('clone-failed', `The pack entry at ${start} changed on disk; fetch again.`)
    return out.subarray(0, h.size)
  }

  private async pause(): Promise<void> {
    this.opts.onProgress?.(this.resolved, this.deltas)
    await new Promise<void>((resolve) => setImmediate(resolve))
    this.opts.signal?.throwIfAborted()
    this.sliceStart = Date.now()
  }
}
