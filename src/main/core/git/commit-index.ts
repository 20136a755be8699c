import { AppError } from '../../../shared/errors'
import type { CommitColumns } from './commit-columns'
import { historyLoading, type HistoryCut } from './commit-index-cut'
import { CommitQueries } from './commit-queries'
import { writeHexOid } from './objects/oid-hex'

/** One commit as the index knows it. */
export interface CommitRecord {
  sha: string
  parents: string[]
  /** Topological level: 1 for a root commit, else 1 + the largest parent's. */
  generation: number
  /** Committer time, unix seconds. */
  time: number
  authorName: string
  authorEmail: string
  /** git's %s: the message's first paragraph on one line. */
  subject: string
  /** SHA from a "(cherry picked from commit X)" line, if the message has one. */
  pickedFrom?: string
  /** Pull request from "Merge pull request #N" or a squash "(#N)" subject. */
  pr?: number
}

const HEX = /^[0-9a-f]+$/

/**
 * Every commit reachable from a clone's refs, with ancestry answered from generation numbers.
 * SHAs in and out are full lowercase hex; methods taking SHAs throw AppError 'sha-not-in-clone'
 * for one the index does not hold. On a shallow clone (`partial`), an ancestry answer that needs history not
 * fetched yet throws AppError 'not-ready' ("not yet known: history still loading") instead of guessing.
 */
export class CommitIndex {
  private queryState: CommitQueries | undefined
  private readonly scratch = Buffer.alloc(20)
  private prIndex: Map<number, number[]> | undefined

  constructor(
    /** The columns behind the index (read-only). */
    readonly columns: CommitColumns,
    /** Full refname → commit SHA at the time the index was opened. */
    readonly refs: ReadonlyMap<string, string>,
    /** The shallow boundary, on a clone whose history is still loading. */
    private readonly cut?: HistoryCut,
  ) {}

  /** Whether the clone is shallow: some answers are "not yet known" until its whole history has arrived. */
  get partial(): boolean {
    return this.cut !== undefined
  }

  // Scratch arrays for walks are allocated on the first query only.
  private get queries(): CommitQueries {
    return (this.queryState ??= new CommitQueries(this.columns))
  }

  /** Number of commits indexed. */
  get size(): number {
    return this.columns.count
  }

  /** Whether the index holds this full SHA. */
  has(sha: string): boolean {
    return this.positionOf(sha) >= 0
  }

  /** The commit with this full SHA, or undefined. */
  get(sha: string): CommitRecord | undefined {
    const pos = this.positionOf(sha)
    return pos < 0 ? undefined : this.recordAt(pos)
  }

  /** Every full SHA that starts with `hex` (any length; case-insensitive), sorted. */
  resolvePrefix(hex: string): string[] {
    const prefix = hex.toLowerCase()
    if (prefix.length === 0 || prefix.length > 40 || !HEX.test(prefix)) return []
    const { oids, count } = this.columns
    const low = Buffer.from(prefix.padEnd(40, '0'), 'hex')
    let lo = 0
    let hi = count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (oids.compare(low, 0, 20, mid * 20, mid * 20 + 20) < 0) lo = mid + 1
      else hi = mid
    }
    const out: string[] = []
    for (let i = lo; i < count; i++) {
      const sha = this.shaAt(i)
      if (!sha.startsWith(prefix)) break
      out.push(sha)
    }
    return out
  }

  /**
   * The commit SHA `input` names: a full SHA, a ref (full name, branch, remote branch, tag, as git
   * tries them) or a unique SHA prefix of 4+ hex digits. Throws 'ambiguous-sha' (details.candidates)
   * or 'not-found'.
   */
  resolve(input: string, refs: ReadonlyMap<string, string> = this.refs): string {
    return this.resolveNamed(input, refs).sha
  }

  /** Like `resolve`, also saying which ref matched (none for a SHA). */
  resolveNamed(input: string, refs: ReadonlyMap<string, string> = this.refs): { sha: string; ref?: string } {
    const text = input.trim()
    const lower = text.toLowerCase()
    if (lower.length === 40 && HEX.test(lower)) {
      if (this.has(lower)) return { sha: lower }
      if (this.cut) throw historyLoading()
      throw new AppError('sha-not-in-clone', `Commit ${lower} is not in this clone; fetch and try again.`, {
        sha: lower,
      })
    }
    for (const name of [
      text,
      `refs/${text}`,
      `refs/tags/${text}`,
      `refs/heads/${text}`,
      `refs/remotes/${text}`,
      `refs/remotes/${text}/HEAD`,
    ]) {
      const sha = refs.get(name)
      if (sha !== undefined) return { sha, ref: name }
    }
    if (lower.length >= 4 && HEX.test(lower)) {
      const candidates = this.resolvePrefix(lower)
      if (candidates.length === 1 && candidates[0] !== undefined) return { sha: candidates[0] }
      if (candidates.length > 1) {
        throw new AppError('ambiguous-sha', `"${text}" matches ${candidates.length} commits; type more of the SHA.`, {
          candidates,
        })
      }
    }
    if (this.cut && lower.length >= 4 && HEX.test(lower)) throw historyLoading()
    throw new AppError('not-found', `No commit, branch or tag is called "${text}".`, { input: text })
  }

  /** Commits whose subject names pull request `n`, newest first. */
  findByPr(n: number): string[] {
    if (!this.prIndex) {
      this.prIndex = new Map()
      const { pr, count } = this.columns
      for (let i = 0; i < count; i++) {
        const number = pr[i] ?? 0
        if (number === 0) continue
        const list = this.prIndex.get(number) ?? []
        list.push(i)
        this.prIndex.set(number, list)
      }
    }
    return this.newestFirst(this.prIndex.get(n) ?? []).map((p) => this.shaAt(p))
  }

  /** Like `isAncestor`, over index positions (no SHA lookups: for callers asking many questions). */
  isAncestorAt(ancestor: number, descendant: number): boolean {
    const fetched = this.queries.isAncestor(ancestor, descendant)
    return this.cut ? this.cut.isAncestor(ancestor, descendant, fetched) : fetched
  }

  /** Like `range`, over index positions, in no particular order. */
  rangeAt(exclude: number[], include: number): number[] {
    const range = this.queries.range(exclude, include)
    this.cut?.checkRange(exclude, include, range)
    return range
  }

  /** Whether `ancestor` is `descendant` or reachable from it by parents (git merge-base --is-ancestor). */
  isAncestor(ancestor: string, descendant: string): boolean {
    return this.isAncestorAt(this.require(ancestor), this.require(descendant))
  }

  /** All best common ancestors of `a` and `b` (git merge-base --all), sorted by SHA. */
  mergeBases(a: string, b: string): string[] {
    const [x, y] = [this.require(a), this.require(b)]
    const bases = this.queries.mergeBases(x, y)
    if (this.cut) {
      // Exact both ways, one fetched merge base is the true one (every missing common ancestor lies below it).
      this.rangeAt([x], y)
      this.rangeAt([y], x)
      if (bases.length > 1) throw historyLoading()
    }
    return bases.sort((p, q) => p - q).map((p) => this.shaAt(p))
  }

  /** One best common ancestor of `a` and `b`, or undefined when their histories are disjoint. */
  mergeBase(a: string, b: string): string | undefined {
    return this.mergeBases(a, b)[0]
  }

  /** Commits reachable from `include` and from none of `exclude` (git rev-list include ^exclude…), newest first. */
  range(exclude: string | string[], include: string): string[] {
    const excludes = (Array.isArray(exclude) ? exclude : [exclude]).map((s) => this.require(s))
    return this.newestFirst(this.rangeAt(excludes, this.require(include))).map((p) => this.shaAt(p))
  }

  /**
   * How far `a` has moved from `b`: ahead = commits in `a` not in `b` (|b..a|), behind = commits in
   * `b` not in `a` (|a..b|); git rev-list --left-right --count a...b prints "ahead behind".
   */
  aheadBehind(a: string, b: string): { ahead: number; behind: number } {
    const [x, y] = [this.require(a), this.require(b)]
    if (this.cut) return { ahead: this.rangeAt([y], x).length, behind: this.rangeAt([x], y).length }
    const { left, right } = this.queries.leftRightCount(x, y)
    return { ahead: left, behind: right }
  }

  /** The commit SHAs the refs point at, without duplicates. */
  tips(): string[] {
    return [...new Set(this.refs.values())].filter((sha) => this.has(sha))
  }

  /** Index position of a full SHA, or -1. */
  positionOf(sha: string): number {
    // Decoded in JS into one scratch buffer, the leading 32 bits compared as a number: a lookup per ref of a
    // clone with 13k refs must not cost a native call per step.
    const oid = this.scratch
    if (!writeHexOid(sha, oid, 0)) return -1
    const head = oid.readUInt32BE(0)
    const { oids } = this.columns
    let lo = 0
    let hi = this.columns.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const word = oids.readUInt32BE(mid * 20)
      const c = word !== head ? (word > head ? 1 : -1) : oids.compare(oid, 0, 20, mid * 20, mid * 20 + 20)
      if (c === 0) return mid
      if (c < 0) lo = mid + 1
      else hi = mid
    }
    return -1
  }

  /** Full SHA at an index position. */
  shaAt(pos: number): string {
    return this.columns.oids.toString('hex', pos * 20, pos * 20 + 20)
  }

  /** The record at an index position. */
  recordAt(pos: number): CommitRecord {
    const c = this.columns
    const text = (k: number): string =>
      c.strings.toString('utf8', c.stringStart[3 * pos + k] ?? 0, c.stringStart[3 * pos + k + 1] ?? 0)
    const parents: string[] = []
    for (let k = c.parentStart[pos] ?? 0; k < (c.parentStart[pos + 1] ?? 0); k++)
      parents.push(this.shaAt(c.parents[k] ?? 0))
    const record: CommitRecord = {
      sha: this.shaAt(pos),
      parents,
      generation: c.generation[pos] ?? 0,
      time: c.time[pos] ?? 0,
      authorName: text(0),
      authorEmail: text(1),
      subject: text(2),
    }
    const picked = c.pickedFrom.get(pos)
    if (picked !== undefined) record.pickedFrom = picked
    const pr = c.pr[pos] ?? 0
    if (pr !== 0) record.pr = pr
    return record
  }

  private require(sha: string): number {
    const pos = this.positionOf(sha.toLowerCase())
    // A shallow clone may simply not have fetched it yet.
    if (pos < 0 && this.cut) throw historyLoading()
    if (pos < 0)
      throw new AppError('sha-not-in-clone', `Commit ${sha} is not in this clone; fetch and try again.`, { sha })
    return pos
  }

  // Newest commit time first; ties by higher generation, then by SHA, so the order is stable.
  private newestFirst(positions: number[]): number[] {
    const { time, generation } = this.columns
    return positions.sort(
      (x, y) => (time[y] ?? 0) - (time[x] ?? 0) || (generation[y] ?? 0) - (generation[x] ?? 0) || x - y,
    )
  }
}
