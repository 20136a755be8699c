/**
 * What the indexer knows of each entry of one pack, in pack order, in typed arrays (a pack of a million
 * objects must not become a million JS objects): where the entry starts, how long its header is, its type,
 * the type it resolves to, the CRC-32 of its raw bytes, its object name and, for OFS_DELTA, its base entry.
 */
export class PackTable {
  /** Entries recorded so far. */
  count = 0
  /** Where the entries end (the pack trailer starts), once known. */
  end = 0
  offsets: Float64Array
  headerLengths: Uint8Array
  types: Uint8Array
  /** The whole-object type (1–4) an entry resolves to; 0 while a delta is unresolved. */
  realTypes: Uint8Array
  crcs: Uint32Array
  /** 20 bytes per entry; meaningful once `realTypes` is set. */
  oids: Buffer
  /** OFS_DELTA: index of the base entry; -1 for every other entry. */
  bases: Int32Array
  /** REF_DELTA entries in pack order, and their base names (20 bytes each). */
  refDeltas: number[] = []
  refBaseOids: Buffer[] = []

  constructor(capacity: number) {
    this.offsets = new Float64Array(capacity)
    this.headerLengths = new Uint8Array(capacity)
    this.types = new Uint8Array(capacity)
    this.realTypes = new Uint8Array(capacity)
    this.crcs = new Uint32Array(capacity)
    this.oids = Buffer.alloc(capacity * 20)
    this.bases = new Int32Array(capacity).fill(-1)
  }

  /** How many entries fit before the arrays must grow. */
  get capacity(): number {
    return this.offsets.length
  }

  /** Makes room for `more` entries beyond `count` (thin-pack fixing appends entries). */
  reserve(more: number): void {
    const need = this.count + more
    if (need <= this.capacity) return
    const size = Math.max(need, Math.ceil(this.capacity * 1.5))
    const grow = <T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old)
      return fresh
    }
    this.offsets = grow(this.offsets, new Float64Array(size))
    this.headerLengths = grow(this.headerLengths, new Uint8Array(size))
    this.types = grow(this.types, new Uint8Array(size))
    this.realTypes = grow(this.realTypes, new Uint8Array(size))
    this.crcs = grow(this.crcs, new Uint32Array(size))
    this.bases = grow(this.bases, new Int32Array(size).fill(-1))
    const oids = Buffer.alloc(size * 20)
    this.oids.copy(oids)
    this.oids = oids
  }

  /** Where entry `i`'s bytes end: the next entry's start, or the end of the entries. */
  entryEnd(i: number): number {
    return i + 1 < this.count ? (this.offsets[i + 1] as number) : this.end
  }

  /** The index of the entry starting exactly at `offset` among the first `before` entries, or -1. */
  indexAt(offset: number, before: number): number {
    let lo = 0
    let hi = before
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const at = this.offsets[mid] as number
      if (at === offset) return mid
      if (at < offset) lo = mid + 1
      else hi = mid
    }
    return -1
  }

  /** Entry `i`'s object name as hex. */
  oidHex(i: number): string {
    return this.oids.toString('hex', i * 20, i * 20 + 20)
  }
}
