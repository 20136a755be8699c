import type { CommitIndex } from '../commit-index'

/**
 * What the table knows of one commit: nothing yet; its header id (which paths change, and how) but not its
 * patch-id yet; both; or that it has no patch-id (a merge, or a commit that changes nothing). Stored as a byte.
 */
export const Known = { Nothing: 0, Header: 1, Patch: 2, NoPatch: 3 } as const
/** One of the `Known` states. */
export type Known = (typeof Known)[keyof typeof Known]

/**
 * Patch-ids and header ids of the commits of one commit index, in columns by index position (commits sorted by
 * SHA, as the index lays them out). A header id is kept as its first 8 bytes: it only chooses which patch-ids to
 * compare, so a rare collision costs a comparison, never a wrong answer. Patch-ids are kept whole.
 */
export class PatchIdTable {
  readonly known: Uint8Array
  /** Header id bytes 0–7 of commit i at [2i, 2i+1]. */
  readonly header: Uint32Array
  /** Patch-id of commit i at bytes [20i, 20i+20). */
  readonly patch: Buffer
  private counts = [0, 0, 0, 0]
  // Header key → commits with that header id: the only commits whose patch-ids need comparing.
  private readonly groups = new Map<number, number[]>()

  constructor(readonly index: CommitIndex) {
    const n = index.size
    this.known = new Uint8Array(n)
    this.header = new Uint32Array(2 * n)
    this.patch = Buffer.alloc(20 * n)
    this.counts[Known.Nothing] = n
  }

  /** Commits in each state, by `Known`. */
  count(state: Known): number {
    return this.counts[state] ?? 0
  }

  /** Commits whose header id is known, grouped by it (`headerKey`); a group of one needs no patch-id. */
  headerGroup(key: number): readonly number[] {
    return this.groups.get(key) ?? []
  }

  /** Every header group (for the background order). */
  headerGroups(): IterableIterator<readonly number[]> {
    return this.groups.values()
  }

  /** Records a commit's header id (16+ hex digits); its patch-id is still to be computed. */
  setHeader(pos: number, header: string): void {
    this.header[2 * pos] = Number.parseInt(header.slice(0, 8), 16)
    this.header[2 * pos + 1] = Number.parseInt(header.slice(8, 16), 16)
    this.setState(pos, Known.Header)
  }

  /** Records a commit's patch-id (40 hex digits), after its header id. */
  setPatch(pos: number, patch: string): void {
    this.patch.write(patch, 20 * pos, 20, 'hex')
    this.setState(pos, Known.Patch)
  }

  /** Records that a commit has no patch-id (a merge, or no change). */
  setNoPatch(pos: number): void {
    this.setState(pos, Known.NoPatch)
  }

  /** Copies what `from` knows of a commit at `fromPos` into this table at `pos` (same SHA). */
  copy(pos: number, from: PatchIdTable, fromPos: number): void {
    const state = from.known[fromPos] as Known
    if (state === Known.Nothing) return
    this.header[2 * pos] = from.header[2 * fromPos] as number
    this.header[2 * pos + 1] = from.header[2 * fromPos + 1] as number
    if (state === Known.Patch) from.patch.copy(this.patch, 20 * pos, 20 * fromPos, 20 * fromPos + 20)
    this.setState(pos, state)
  }

  /** A number standing for the header id (its first 52 bits), to group commits by. */
  headerKey(pos: number): number {
    return (this.header[2 * pos] as number) * 2 ** 20 + ((this.header[2 * pos + 1] as number) >>> 12)
  }

  /** Whether two commits with known patch-ids have the same one. */
  samePatch(a: number, b: number): boolean {
    return this.patch.compare(this.patch, 20 * a, 20 * a + 20, 20 * b, 20 * b + 20) === 0
  }

  /** A copy of this table laid out for another index of the same clone (after a fetch): what is known carries over by SHA. */
  rebase(index: CommitIndex): PatchIdTable {
    const next = new PatchIdTable(index)
    // Both indexes sort commits by SHA, so one merge walk pairs them up.
    const a = this.index.columns.oids
    const b = index.columns.oids
    for (let i = 0, j = 0; i < this.index.size && j < index.size;) {
      const c = a.compare(b, 20 * j, 20 * j + 20, 20 * i, 20 * i + 20)
      if (c === 0) next.copy(j++, this, i++)
      else if (c < 0) i++
      else j++
    }
    return next
  }

  /** Sets a commit's state after its columns were written directly (loading a file). */
  markKnown(pos: number, state: Known): void {
    this.setState(pos, state)
  }

  private setState(pos: number, state: Known): void {
    const before = this.known[pos] as Known
    ;(this.counts[before] as number)--
    ;(this.counts[state] as number)++
    this.known[pos] = state
    if (before === Known.Nothing && (state === Known.Header || state === Known.Patch)) {
      const key = this.headerKey(pos)
      const group = this.groups.get(key)
      if (group) group.push(pos)
      else this.groups.set(key, [pos])
    }
  }
}
