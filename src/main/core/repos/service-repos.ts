import * as fs from 'node:fs'
import { join } from 'node:path'
import type { RepoStatus } from '../../../shared/api/views'
import { AppError } from '../../../shared/errors'
import type { CommitSummary } from '../../../shared/models/commits'
import type { Service, Sha, Workspace } from '../../../shared/models/workspace'
import type { Clones, FetchOutcome, RepoSource } from '../git/clone/clones'
import type { CommitIndex } from '../git/commit-index'
import { HISTORY_LOADING } from '../git/commit-index-cut'
import { cloneKey, openCommitIndex } from '../git/commit-index-open'
import { BackgroundFill } from '../git/equivalence/background-fill'
import { Equivalence, type EquivalenceAnswer } from '../git/equivalence/equivalence'
import { resolveInput, type ResolvedInput } from './resolve-input'

/**
 * A service's clone, commit index and equivalence table, the ground for every offline answer about its history.
 * Opening an index (first use, after a fetch) queues its equivalence table for the background fill.
 */
export class ServiceRepos {
  private readonly indexes = new Map<string, Promise<CommitIndex>>()
  /** Services waiting for their turn to be cloned or fetched. */
  private readonly waiting = new Set<string>()
  private readonly equivalences = new Map<string, Equivalence>()
  private readonly fill: BackgroundFill
  private readonly backgroundFill: boolean

  constructor(
    private readonly workspace: Workspace,
    readonly clones: Clones,
    private readonly cacheDir: string,
    options: {
      onFillError?: (service: string, error: unknown) => void
      /** Fill the equivalence tables in the background (default); a one-shot process (the CLI) computes only what its answers need. */
      backgroundFill?: boolean
    } = {},
  ) {
    this.fill = new BackgroundFill(options.onFillError ? { onError: options.onFillError } : {})
    this.backgroundFill = options.backgroundFill ?? true
  }

  /** The services in workspace order. */
  get services(): Service[] {
    return this.workspace.services
  }

  /** A service by name, or AppError('not-found') listing the known ones. */
  service(name: string): Service {
    const found = this.workspace.services.find((s) => s.name === name)
    if (!found)
      throw new AppError(
        'not-found',
        `No service is called "${name}"; the workspace has ${this.workspace.services.map((s) => s.name).join(', ')}.`,
      )
    return found
  }

  source(name: string): RepoSource {
    const service = this.service(name)
    return {
      service: service.name,
      url: service.repo.url,
      ...(service.repo.credential ? { credential: service.repo.credential } : {}),
    }
  }

  /** The commit index of a service, cloning it first when there is no clone yet. */
  index(name: string): Promise<CommitIndex> {
    let index = this.indexes.get(name)
    if (!index) {
      index = this.openIndex(name)
      this.indexes.set(name, index)
      index.catch(() => this.indexes.delete(name))
    }
    return index
  }

  /** The index if the service has been cloned and indexed already (never clones); a partial one while it deepens. */
  async indexIfReady(name: string): Promise<CommitIndex | undefined> {
    const status = await this.clones.status(name)
    if (status.state !== 'ready' && !status.historyLoading && !this.indexes.has(name)) return undefined
    return this.index(name).catch(() => undefined)
  }

  /** Marks services as waiting for a clone or fetch that will come after the ones before them (`queued` in status). */
  queue(names: readonly string[]): void {
    for (const name of names) this.waiting.add(name)
  }

  /**
   * Makes sure the service has a clone, cloning only recent history first when the clones are set up so
   * (`shallowDepth`): its index answers from then on, "not yet known" for what needs older history. No fetch.
   */
  async open(name: string, signal?: AbortSignal): Promise<FetchOutcome> {
    this.waiting.delete(name)
    const outcome = await this.clones.open(this.source(name), signal ? { signal } : {})
    if (outcome.cloned) {
      this.indexes.delete(name)
      await this.index(name)
    }
    return outcome
  }

  /**
   * Fetches one service (cloning when needed) and refreshes its index incrementally. A shallow first clone
   * answers (its partial index) while the fetch deepens it to the whole history.
   */
  async fetch(name: string, signal?: AbortSignal): Promise<FetchOutcome> {
    const outcome = await this.open(name, signal)
    const fetched =
      outcome.cloned && !outcome.partial
        ? outcome
        : await this.clones.fetch(this.source(name), signal ? { signal } : {})
    this.indexes.delete(name)
    await this.index(name)
    return fetched
  }

  /** Reads the clone's refs again so the index learns commits written here (a pick); no network. */
  async reindex(name: string): Promise<CommitIndex> {
    this.indexes.delete(name)
    return this.index(name)
  }

  async status(): Promise<RepoStatus[]> {
    return Promise.all(
      this.workspace.services.map(async (s) => {
        const found = await this.clones.status(s.name)
        const status: RepoStatus =
          found.state === 'missing' && this.waiting.has(s.name) ? { ...found, state: 'queued' } : found
        const index = this.indexes.has(s.name) ? await this.indexes.get(s.name)?.catch(() => undefined) : undefined
        return index ? { ...status, commits: index.size } : status
      }),
    )
  }

  /** The SHA an input names in a service, by the one resolver every command uses (`resolveInput`). */
  async resolve(name: string, input: string): Promise<Sha> {
    return (await this.resolveWithVia(name, input)).sha
  }

  /** Like `resolve`, also saying how the input named the commit. */
  async resolveWithVia(name: string, input: string): Promise<ResolvedInput> {
    const index = await this.index(name)
    try {
      return resolveInput(index, input, this.service(name).defaultBranch)
    } catch (error) {
      if (error instanceof AppError && error.code === 'not-ready')
        throw new AppError(error.code, `${name}: ${error.message}`, error.details)
      if (error instanceof AppError && error.code === 'not-found')
        throw new AppError(error.code, `${name}: ${error.message}`, error.details)
      throw error
    }
  }

  /** The equivalence table of a service, laid out for its current index. */
  async equivalence(name: string): Promise<Equivalence> {
    const index = await this.index(name)
    return this.equivalences.get(name) ?? this.equivalenceFor(name, index)
  }

  /**
   * The commit in `inHistoryOf`'s history that is the same change as `sha` (cherry-pick trailers, then patch-ids),
   * none, or "not yet known" while the table fills (the commits it needs then go first).
   */
  async equivalent(name: string, sha: Sha, inHistoryOf: Sha, deadline?: number): Promise<EquivalenceAnswer> {
    // A copy may sit in history not fetched yet: "not yet known" until the clone is whole, never "none".
    if ((await this.index(name)).partial) return { pending: true, reason: HISTORY_LOADING }
    const table = await this.equivalence(name)
    const answer = await table.find(sha, inHistoryOf, deadline)
    if (answer !== undefined && 'pending' in answer) this.queueFill(name)
    return answer
  }

  /** Resolves once the background fill has nothing left to do (tests, benches). */
  settled(): Promise<void> {
    return this.fill.idle()
  }

  /** Stops the background fill, saving what it and the answers computed. */
  async close(): Promise<void> {
    await this.fill.stop()
    for (const table of this.equivalences.values()) {
      try {
        table.save()
      } catch {
        // The file only saves time: what is lost is computed again.
      }
    }
  }

  /** A commit as lists show it; undefined when the index does not hold it. */
  async summary(name: string, sha: Sha): Promise<CommitSummary | undefined> {
    return summaryOf(await this.index(name), sha)
  }

  private async openIndex(name: string): Promise<CommitIndex> {
    const status = await this.clones.status(name)
    // A shallow clone being deepened answers now (from what it has); any other busy clone is waited for.
    if (status.state !== 'ready' && !status.historyLoading) await this.clones.open(this.source(name))
    const index = await openCommitIndex({
      gitdir: this.clones.gitdir(name),
      cacheFile: join(this.cacheDir, 'commit-index', `${name}.idx`),
    })
    this.equivalenceFor(name, index)
    return index
  }

  // One table per service, moved onto each index as it opens (what is known carries over) and queued for the fill.
  private equivalenceFor(name: string, index: CommitIndex): Equivalence {
    let table = this.equivalences.get(name)
    if (!table) {
      const gitdir = this.clones.gitdir(name)
      table = new Equivalence(index, {
        repo: { fs, gitdir, cache: this.clones.cache(name) },
        file: { path: join(this.cacheDir, 'equivalence', `${name}.eqi`), key: cloneKey(gitdir) },
      })
      this.equivalences.set(name, table)
      // Patch-ids wait for the whole history: a shallow clone lacks the parents of its boundary commits.
      if (!index.partial) this.queueFill(name)
    } else if (table.index !== index) {
      table.update(index)
      if (!index.partial) this.queueFill(name)
    }
    return table
  }

  private queueFill(name: string): void {
    if (this.backgroundFill) this.fill.schedule(name, () => this.equivalences.get(name))
  }
}

/** A commit of an index as a CommitSummary. */
export function summaryOf(index: CommitIndex, sha: Sha): CommitSummary | undefined {
  const record = index.get(sha)
  if (!record) return undefined
  return {
    sha: record.sha,
    parents: record.parents,
    author: { name: record.authorName, email: record.authorEmail },
    time: new Date(record.time * 1000).toISOString(),
    subject: record.subject,
    ...(record.pr !== undefined ? { pr: record.pr } : {}),
    ...(record.pickedFrom !== undefined && index.has(record.pickedFrom)
      ? { cherryPickOf: { sha: record.pickedFrom, via: 'trailer' as const } }
      : {}),
  }
}
