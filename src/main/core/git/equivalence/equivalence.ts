import type { Sha } from '../../../../shared/models/workspace'
import type { CommitIndex } from '../commit-index'
import { RepoObjects, type RepoAccess } from '../objects/repo-objects'
import { computeIds } from './commit-ids'
import { Known, PatchIdTable } from './patch-id-table'
import { readTableFile, writeTableFile } from './table-file'
import { TrailerLinks } from './trailer-links'

/** How an equivalent commit was recognised: a chain of cherry-pick trailers, or an equal patch-id. */
export type EquivalenceVia = 'trailer' | 'patch-id'

/** The commit that carries the same change, and how it was recognised. */
export interface Equivalent {
  sha: Sha
  via: EquivalenceVia
}

/** The answer needs patch-ids not computed yet; `reason` says so in words. */
export interface NotYetKnown {
  pending: true
  reason: string
}

/** An equivalent commit, none (a complete answer), or not yet known. */
export type EquivalenceAnswer = Equivalent | undefined | NotYetKnown

/** How far the table is: header ids of every commit first, then patch-ids where header ids collide. */
export interface EquivalenceProgress {
  phase: 'header ids' | 'patch-ids' | 'complete'
  done: number
  total: number
}

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
  private headerGroups = new Map<number, number[]>()
  private urgent = new Set<number>()
  private plan: { phase: 'header ids' | 'patch-ids'; order: number[]; next: number } | undefined
  private dirty = false

  constructor(
    index: CommitIndex,
    private readonly options: EquivalenceOptions,
  ) {
    const file = options.file
    this.table = file ? readTableFile(file.path, file.key, index) : new PatchIdTable(index)
    this.links = new TrailerLinks(index)
    this.regroup()
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
    this.urgent = new Set()
    this.plan = undefined
    this.regroup()
  }

  /** What the table knows of a commit (for diagnostics and tests). */
  known(sha: Sha): 'nothing' | 'header id' | 'patch-id' | 'no patch-id' {
    const pos = this.index.positionOf(sha)
    const state = pos < 0 ? Known.Nothing : (this.table.known[pos] as Known)
    return (['nothing', 'header id', 'patch-id', 'no patch-id'] as const)[state]
  }

  /** How far the background work is. */
  progress(): EquivalenceProgress {
    const t = this.table
    const total = t.index.size
    if (t.count(Known.Nothing) > 0) return { phase: 'header ids', done: total - t.count(Known.Nothing), total }
    const waiting = this.patchesWaiting(false).length
    if (waiting > 0) {
      const needed = waiting + this.table.count(Known.Patch)
      return { phase: 'patch-ids', done: needed - waiting, total: needed }
    }
    return { phase: 'complete', done: total, total }
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

  /** Computes ids in the background order (asked-for commits, then header ids newest first, then colliding patch-ids) until `deadline` (performance.now()); false once nothing is left. */
  async fill(deadline: number): Promise<boolean> {
    const table = this.table
    const objects = new RepoObjects(this.options.repo)
    while (performance.now() < deadline) {
      if (table !== this.table) return true
      const urgent = this.urgent.values().next()
      if (!urgent.done) {
        this.urgent.delete(urgent.value)
        await this.compute(objects, urgent.value, table.known[urgent.value] === Known.Nothing ? 'header' : 'patch')
        continue
      }
      const pos = this.nextPlanned()
      if (pos === undefined) return false
      await this.compute(objects, pos, this.plan?.phase === 'patch-ids' ? 'patch' : 'header')
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

  /** The commit linked to `sha` by cherry-pick trailers in `inHistoryOf`'s history: complete and cheap at any time. */
  findByTrailer(sha: Sha, inHistoryOf: Sha): Equivalent | undefined {
    const q = this.question(sha, inHistoryOf)
    if (q === undefined) return undefined
    const pos = this.newest(this.links.closure(q.x).filter(q.candidate))
    return pos === undefined ? undefined : { sha: this.index.shaAt(pos), via: 'trailer' }
  }

  // Positions of the question and which commits may answer it: in the history of `d` and not in that of `x`.
  private question(
    sha: Sha,
    inHistoryOf: Sha,
  ): { x: number; d: number; candidate: (c: number) => boolean } | undefined {
    const index = this.index
    const x = index.positionOf(sha)
    const d = index.positionOf(inHistoryOf)
    if (x < 0 || d < 0) return undefined
    return { x, d, candidate: (c) => c !== x && index.isAncestorAt(c, d) && !index.isAncestorAt(c, x) }
  }

  private answer(
    sha: Sha,
    inHistoryOf: Sha,
  ): { answer: EquivalenceAnswer } | { missing: [number, 'header' | 'patch'][] } {
    const byTrailer = this.findByTrailer(sha, inHistoryOf)
    const q = this.question(sha, inHistoryOf)
    if (byTrailer !== undefined || q === undefined) return { answer: byTrailer }
    const { table, links } = this
    const { x, d, candidate } = q
    const missing: [number, 'header' | 'patch'][] = []
    // The patch-ids of the commit and of every commit its trailers link it to are compared.
    const sources = links.closure(x).filter((p) => {
      const state = table.known[p] as Known
      if (state === Known.Nothing || state === Known.Header) missing.push([p, 'patch'])
      return state === Known.Patch
    })
    if (table.count(Known.Nothing) > 0) {
      // Header groups are partial while header ids are being computed: the commits that could answer need theirs,
      // the candidates and the commits trailers link to a candidate.
      for (const c of this.index.rangeAt([x], d)) if (table.known[c] === Known.Nothing) missing.push([c, 'header'])
      for (const c of links.linked())
        if (table.known[c] === Known.Nothing && links.closure(c).some(candidate)) missing.push([c, 'header'])
    }
    const twins = new Set<number>()
    for (const p of sources) {
      for (const m of this.headerGroups.get(table.headerKey(p)) ?? []) {
        if (m === p || twins.has(m)) continue
        const state = table.known[m] as Known
        if (state === Known.Patch) {
          if (table.samePatch(m, p)) twins.add(m)
        } else if (state === Known.Header && (candidate(m) || (links.has(m) && links.closure(m).some(candidate))))
          missing.push([m, 'patch'])
      }
    }
    const byPatch = this.newest([...twins].flatMap((t) => links.closure(t)).filter(candidate))
    if (byPatch !== undefined) return { answer: { sha: this.index.shaAt(byPatch), via: 'patch-id' } }
    return missing.length > 0 ? { missing } : { answer: undefined }
  }

  private async compute(objects: RepoObjects, pos: number, want: 'header' | 'patch'): Promise<void> {
    const table = this.table
    const before = table.known[pos] as Known
    await computeIds(objects, table, pos, want, (key) => (this.headerGroups.get(key)?.length ?? 0) > 0)
    if (table !== this.table) return
    const after = table.known[pos] as Known
    if (after === before) return
    this.dirty = true
    if (before === Known.Nothing && after !== Known.NoPatch) push(this.headerGroups, table.headerKey(pos), pos)
  }

  private notYet(missing: [number, 'header' | 'patch'][]): NotYetKnown {
    // Asked-for commits go first in the background work, so asking again soon gets an answer.
    for (const [pos] of missing) this.urgent.add(pos)
    const p = this.progress()
    const percent = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total)
    return {
      pending: true,
      reason: `Cherry-picks are still being indexed (${p.phase}: ${percent} %, ${missing.length} commits to go for this answer); ask again in a moment.`,
    }
  }

  private nextPlanned(): number | undefined {
    const table = this.table
    for (;;) {
      if (this.plan === undefined) {
        if (table.count(Known.Nothing) > 0) this.plan = { phase: 'header ids', order: this.newestFirst(), next: 0 }
        else {
          const waiting = this.patchesWaiting(true)
          if (waiting.length === 0) return undefined
          this.plan = { phase: 'patch-ids', order: waiting, next: 0 }
        }
      }
      const plan = this.plan
      while (plan.next < plan.order.length) {
        const pos = plan.order[plan.next++] as number
        const state = table.known[pos] as Known
        if (plan.phase === 'header ids' ? state === Known.Nothing : state === Known.Header) return pos
      }
      this.plan = undefined
    }
  }

  // Commits whose header id another commit shares and whose patch-id is not computed yet (newest first when sorted).
  private patchesWaiting(sorted: boolean): number[] {
    const out: number[] = []
    for (const group of this.headerGroups.values())
      if (group.length > 1) for (const pos of group) if (this.table.known[pos] === Known.Header) out.push(pos)
    return sorted ? this.sortNewest(out) : out
  }

  private newestFirst(): number[] {
    return this.sortNewest(Array.from({ length: this.table.index.size }, (_, i) => i))
  }

  private sortNewest(positions: number[]): number[] {
    const { time, generation } = this.table.index.columns
    return positions.sort(
      (a, b) => (time[b] ?? 0) - (time[a] ?? 0) || (generation[b] ?? 0) - (generation[a] ?? 0) || a - b,
    )
  }

  private newest(positions: number[]): number | undefined {
    return positions.length === 0 ? undefined : this.sortNewest([...positions])[0]
  }

  private regroup(): void {
    this.headerGroups = new Map()
    const t = this.table
    for (let pos = 0; pos < t.index.size; pos++) {
      const state = t.known[pos] as Known
      if (state === Known.Header || state === Known.Patch) push(this.headerGroups, t.headerKey(pos), pos)
    }
  }
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
