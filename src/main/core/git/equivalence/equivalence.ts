import type { Sha } from '../../../../shared/models/workspace'
import type { CommitIndex } from '../commit-index'
import { RepoObjects, type RepoAccess } from '../objects/repo-objects'
import { computeIds } from './commit-ids'
import { FillOrder, type FillProgress } from './fill-order'
import { Known, PatchIdTable } from './patch-id-table'
import {
  knownTwins,
  patchTwinPairs,
  sameChangeByTrailer,
  sameChangeIn,
  type Equivalent,
  type Missing,
} from './same-change'
import { readTableFile, writeTableFile } from './table-file'
import { TrailerLinks } from './trailer-links'

export type { EquivalenceVia, Equivalent } from './same-change'
export type { FillProgress } from './fill-order'

/** The answer needs patch-ids not computed yet; `reason` says so in words. */
export interface NotYetKnown {
  pending: true
  reason: string
}

/** An equivalent commit, none (a complete answer), or not yet known. */
export type EquivalenceAnswer = Equivalent | undefined | NotYetKnown

/** Where the table of one clone is kept, and how long a question may compute what is missing. */
export interface EquivalenceOptions {
  repo: RepoAccess
  /** The file the table is kept in (next to the commit index), and the key naming the clone in it. */
  file?: { path: string; key: string }
  /** Milliseconds one question may spend computing missing ids before answering "not yet known" (default 1000). */
  budgetMs?: number
}

/**
 * "Is this change already there under another SHA?" for every commit of one clone, complete: the cherry-pick trailers
 * of the whole index, and the stable patch-ids of every commit whose header id collides with another's (git's
 * header-id trick), kept in a file and filled in the background. A question the table cannot answer yet computes the
 * few ids it needs within a budget, or answers "not yet known" and moves those commits to the front of the queue.
 */
export class Equivalence {
  private table: PatchIdTable
  private links: TrailerLinks
  private order: FillOrder
  private dirty = false
  // Bumped whenever an id is added, so derived lists know when to be made again.
  private version = 0
  private twins: { table: PatchIdTable; version: number; pairs: (readonly [Sha, Sha])[] } | undefined

  constructor(
    index: CommitIndex,
    private readonly options: EquivalenceOptions,
  ) {
    const file = options.file
    this.table = file ? readTableFile(file.path, file.key, index) : new PatchIdTable(index)
    this.links = new TrailerLinks(index)
    this.order = new FillOrder(this.table)
  }

  /** The commit index the table is laid out for. */
  get index(): CommitIndex {
    return this.table.index
  }

  /** Lays the table out for a newer index of the same clone (after a fetch): what is known carries over, new commits queue. */
  update(index: CommitIndex): void {
    if (index === this.table.index) return
    this.table = this.table.rebase(index)
    this.links = new TrailerLinks(index)
    this.order = new FillOrder(this.table)
  }

  /** What the table knows of a commit (for diagnostics and tests). */
  known(sha: Sha): 'nothing' | 'header id' | 'patch-id' | 'no patch-id' {
    const pos = this.index.positionOf(sha)
    const state = pos < 0 ? Known.Nothing : (this.table.known[pos] as Known)
    return (['nothing', 'header id', 'patch-id', 'no patch-id'] as const)[state]
  }

  /** How far the background work is. */
  progress(): FillProgress {
    return this.order.progress()
  }

  /**
   * The commit in the history of `inHistoryOf`, and not in that of `sha`, that is the same change as `sha`: linked
   * by cherry-pick trailers (preferred), or with an equal patch-id (or picked from such a commit). Computes missing
   * ids until `deadline` (performance.now(); by default the budget from now); past it, answers "not yet known"
   * unless a match was already found.
   */
  async find(
    sha: Sha,
    inHistoryOf: Sha,
    deadline = performance.now() + (this.options.budgetMs ?? 1000),
  ): Promise<EquivalenceAnswer> {
    for (;;) {
      const table = this.table
      const outcome = this.answer(sha, inHistoryOf)
      if (!('missing' in outcome)) return outcome.answer
      const objects = new RepoObjects(this.options.repo)
      for (const [pos, want] of outcome.missing) {
        if (performance.now() > deadline || table !== this.table) return this.notYet(outcome.missing)
        await this.compute(objects, pos, want)
      }
    }
  }

  /** Like `find` with what is known now, computing nothing (for synchronous callers). */
  findKnown(sha: Sha, inHistoryOf: Sha): EquivalenceAnswer {
    const outcome = this.answer(sha, inHistoryOf)
    return 'missing' in outcome ? this.notYet(outcome.missing) : outcome.answer
  }

  /** The commit trailers link to `sha` in the history of `inHistoryOf`: complete and cheap at any time. */
  findByTrailer(sha: Sha, inHistoryOf: Sha): Equivalent | undefined {
    const x = this.index.positionOf(sha)
    const d = this.index.positionOf(inHistoryOf)
    const pos = x < 0 || d < 0 ? undefined : sameChangeByTrailer(this.table, this.links, x, d)
    return pos === undefined ? undefined : { sha: this.index.shaAt(pos), via: 'trailer' }
  }

  /** Every commit known, so far, to carry the same change as `sha` anywhere in the clone (for a commit's details). */
  sameChange(sha: Sha): Equivalent[] {
    const x = this.index.positionOf(sha)
    if (x < 0) return []
    return knownTwins(this.table, this.links, x).map(({ pos, via }) => ({ sha: this.index.shaAt(pos), via }))
  }

  /**
   * Pairs (original → copy) of commits on diverging lines with equal patch-ids and no trailer between them, as known
   * so far: cherry-picks made without -x, for the graph's links. Each copy is linked to the oldest of its twins.
   */
  patchTwins(): (readonly [Sha, Sha])[] {
    if (this.twins?.table === this.table && this.twins.version === this.version) return this.twins.pairs
    const pairs = patchTwinPairs(this.table, this.links)
    const index = this.index
    this.twins = {
      table: this.table,
      version: this.version,
      pairs: pairs.map(([a, b]) => [index.shaAt(a), index.shaAt(b)] as const),
    }
    return this.twins.pairs
  }

  /**
   * Computes, now, the ids that questions about `commits` among `candidates` need (git cherry's way: header ids of
   * both sides, patch-ids where they collide), so that `findKnown` answers them.
   */
  async prepare(commits: readonly Sha[], candidates: readonly Sha[]): Promise<void> {
    const objects = new RepoObjects(this.options.repo)
    const positions = (shas: readonly Sha[]): number[] =>
      shas.map((s) => this.index.positionOf(s)).filter((p) => p >= 0)
    const asked = positions(commits)
    const others = positions(candidates)
    for (const pos of [...asked, ...others]) await this.compute(objects, pos, 'header')
    for (const pos of asked) await this.compute(objects, pos, 'patch')
    const keys = new Set(asked.map((p) => this.table.headerKey(p)))
    for (const pos of others) if (keys.has(this.table.headerKey(pos))) await this.compute(objects, pos, 'patch')
  }

  /** Computes ids in the background order until `deadline` (performance.now()); false once nothing is left. */
  async fill(deadline: number): Promise<boolean> {
    const table = this.table
    const objects = new RepoObjects(this.options.repo)
    while (performance.now() < deadline) {
      if (table !== this.table) return true
      const step = this.order.next()
      if (step === undefined) return false
      await this.compute(objects, step.pos, step.want)
    }
    return true
  }

  /** Writes the table file when anything was added since the last save. */
  save(): void {
    const file = this.options.file
    if (!file || !this.dirty) return
    writeTableFile(file.path, file.key, this.table)
    this.dirty = false
  }

  private answer(sha: Sha, inHistoryOf: Sha): { answer: EquivalenceAnswer } | { missing: Missing } {
    const x = this.index.positionOf(sha)
    const d = this.index.positionOf(inHistoryOf)
    // A commit the table's index lacks was fetched a moment ago (or never): "none" would be a guess.
    if (x < 0 || d < 0)
      return { answer: { pending: true, reason: 'The clone changed while answering; ask again in a moment.' } }
    return sameChangeIn(this.table, this.links, x, d)
  }

  private async compute(objects: RepoObjects, pos: number, want: 'header' | 'patch'): Promise<void> {
    const table = this.table
    const before = table.known[pos]
    await computeIds(objects, table, pos, want)
    if (table.known[pos] !== before) {
      this.dirty = true
      this.version++
    }
  }

  private notYet(missing: Missing): NotYetKnown {
    // Asked-for commits go first in the background work, so asking again soon gets an answer.
    this.order.hurry(missing.map(([pos]) => pos))
    const p = this.progress()
    const percent = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total)
    return {
      pending: true,
      reason: `Cherry-picks are still being indexed (${p.phase}: ${percent} %, ${missing.length} commits to go for this answer); ask again in a moment.`,
    }
  }
}
