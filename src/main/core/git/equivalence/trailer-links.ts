import type { CommitIndex } from '../commit-index'

/**
 * The "(cherry picked from commit X)" links of an index, both ways, by position: the commit a pick names (when the
 * clone holds it) and the picks that name a commit. Built once per index from its trailer column.
 */
export class TrailerLinks {
  private readonly source = new Map<number, number>()
  private readonly copies = new Map<number, number[]>()

  constructor(readonly index: CommitIndex) {
    for (const [pos, original] of index.columns.pickedFrom) {
      const from = index.positionOf(original)
      if (from < 0) continue
      this.source.set(pos, from)
      const list = this.copies.get(from)
      if (list) list.push(pos)
      else this.copies.set(from, [pos])
    }
  }

  /** Whether a commit names another or is named by one. */
  has(pos: number): boolean {
    return this.source.has(pos) || this.copies.has(pos)
  }

  /** Commits linked to `start` by any chain of picks (its source, the source's other copies, picks of picks…), `start` included. */
  closure(start: number): number[] {
    const seen = new Set<number>([start])
    const todo = [start]
    for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
      const linked = [...(this.copies.get(next) ?? [])]
      const from = this.source.get(next)
      if (from !== undefined) linked.push(from)
      for (const other of linked) {
        if (seen.has(other)) continue
        seen.add(other)
        todo.push(other)
      }
    }
    return [...seen]
  }

  /** Every commit that has a link. */
  linked(): IterableIterator<number> {
    return new Set([...this.source.keys(), ...this.copies.keys()]).values()
  }
}
