import { join } from 'node:path'
import type { AppError } from '../../../../shared/errors'
import type { RepoProgress, RepoStatus } from '../../../../shared/api/views'
import { redactUrl, toGitAppError } from '../git-errors'
import type { GitErrorContext } from '../git-errors'
import type { SecretLookup } from './auth'
import { checkHealth, readMarker } from './health'
import { replayJournal } from './journal'
import { readShallow } from './shallow'
import { fetchRef } from './fetch-ref'
import { createBranch, pushBranch, pushRef, setRef } from './push'
import type { PushRefRequest, PushRequest } from './push'
import { readCloneRefs } from './refs'
import type { CloneRefs } from './refs'
import { cloneFresh, fetchInto } from './transfer'
import type { FetchOutcome, RepoSource, Transfer } from './transfer'

export type { FetchOutcome, RepoSource } from './transfer'

/** The ports a set of clones needs. */
export interface ClonesOptions {
  /** App data directory holding one bare clone per service: `<root>/<service>.git`. */
  root: string
  secret: SecretLookup
  clock?: () => Date
  onProgress?: (progress: RepoProgress) => void
  /** A server silent for this long fails the operation with `timeout`. Default 60 s. */
  idleTimeoutMs?: number
  /** What a clone or fetch skipped (e.g. a remote ref with an invalid name), one line each. */
  onWarning?: (message: string) => void
  /**
   * `open` clones only this many commits of the default branch first (a shallow clone, answering at once for recent
   * history); the next `fetch` deepens it to the whole history. Unset: `open` clones everything.
   */
  shallowDepth?: number
}

type Operation = 'clone' | 'fetch' | 'push'

interface Running {
  operation: Operation
  controller: AbortController
  progress?: RepoProgress
}

/**
 * The local clones of a workspace's services, kept bare under `root` (layout in clone/README.md):
 * cloned into a hidden temp dir and renamed into place only when complete, fetched with every branch and
 * tag, one operation at a time per service.
 */
export class Clones {
  private readonly caches = new Map<string, object>()
  private readonly running = new Map<string, Running>()
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly failures = new Map<string, AppError>()
  private readonly clock: () => Date

  constructor(private readonly options: ClonesOptions) {
    this.clock = options.clock ?? (() => new Date())
  }

  /** The bare gitdir of a service's clone (it may not exist yet). */
  gitdir(service: string): string {
    return join(this.options.root, `${service}.git`)
  }

  /** The long-lived isomorphic-git cache of a service's clone: pass it to every isomorphic-git call on it. */
  cache(service: string): object {
    let cache = this.caches.get(service)
    if (!cache) this.caches.set(service, (cache = {}))
    return cache
  }

  /** The secret lookup the clones authenticate with. */
  get secret(): SecretLookup {
    return this.options.secret
  }

  /** Whether a clone, fetch or push of the service is under way. */
  isBusy(service: string): boolean {
    return this.running.has(service)
  }

  /** Clone state of a service; a usable clone whose last fetch failed is `ready` with `error` set. */
  async status(service: string): Promise<RepoStatus> {
    const marker = await readMarker(this.gitdir(service))
    const error = this.failures.get(service)?.toData()
    const running = this.running.get(service)
    const state: RepoStatus['state'] =
      running?.operation === 'clone'
        ? 'cloning'
        : running?.operation === 'fetch'
          ? 'fetching'
          : marker
            ? 'ready'
            : error
              ? 'failed'
              : 'missing'
    return {
      service,
      state,
      ...(marker ? { fetchedAt: marker.fetchedAt } : {}),
      ...(marker && readShallow(this.gitdir(service)).length > 0 ? { historyLoading: true as const } : {}),
      ...(error ? { error } : {}),
      ...(running?.progress ? { progress: running.progress } : {}),
    }
  }

  /** Aborts the running operation of a service, if any; returns whether one was running. */
  cancel(service: string): boolean {
    const running = this.running.get(service)
    running?.controller.abort()
    return running !== undefined
  }

  /** The refs of a service's clone (see `readCloneRefs`). */
  async refs(service: string): Promise<CloneRefs> {
    return readCloneRefs(this.gitdir(service))
  }

  /**
   * Makes sure the service has a healthy clone: a missing, incomplete or unhealthy one (or one of another URL)
   * is cloned afresh; a healthy one is left alone (no network). Returns what changed.
   */
  async open(source: RepoSource, opts: { signal?: AbortSignal } = {}): Promise<FetchOutcome> {
    return this.exclusive(source, 'clone', opts.signal, async (signal) => {
      const marker = await readMarker(this.gitdir(source.service))
      if (marker && (await this.healthy(source))) {
        return { service: source.service, cloned: false, moved: [], fetchedAt: marker.fetchedAt }
      }
      // A fresh cache: the old one describes packs of the clone being replaced.
      this.caches.set(source.service, {})
      return this.warned(await cloneFresh(this.transfer(source, signal, this.options.shallowDepth)))
    })
  }

  /**
   * Fetches every branch and tag (pruning deleted ones) and reports the refs that moved; clones first when needed
   * (the whole history), and deepens a shallow clone to its whole history.
   */
  async fetch(source: RepoSource, opts: { signal?: AbortSignal } = {}): Promise<FetchOutcome> {
    return this.exclusive(source, 'fetch', opts.signal, async (signal) => {
      if (await this.healthy(source)) {
        const outcome = await fetchInto(this.transfer(source, signal))
        // Packs may have been merged: isomorphic-git's cache must not keep describing the old ones.
        if (outcome.moved.length > 0) this.caches.set(source.service, {})
        return this.warned(outcome)
      }
      const running = this.running.get(source.service)
      if (running) running.operation = 'clone'
      // A fresh cache: the old one describes packs of the clone being replaced.
      this.caches.set(source.service, {})
      return this.warned(await cloneFresh(this.transfer(source, signal)))
    })
  }

  /** Pushes a branch with a lease (see `pushBranch` in push.ts); refused with `push-rejected` when the remote moved. */
  async pushBranch(source: RepoSource, request: PushRequest): Promise<void> {
    return pushBranch(this, source, request)
  }

  /**
   * Fetches one ref outside branches and tags (e.g. `refs/trainyard/coordination`) into a clone holding only it,
   * made when missing; returns its SHA, undefined when the remote has none (see `fetchRef` in fetch-ref.ts).
   */
  async fetchRef(source: RepoSource, ref: string, opts: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    return fetchRef(this, source, ref, { ...opts, now: () => this.clock().toISOString() })
  }

  /** Pushes one ref with a lease, changing no local ref (see `pushRef` in push.ts). */
  async pushRef(source: RepoSource, request: PushRefRequest): Promise<void> {
    return pushRef(this, source, request)
  }

  /** Creates a local branch in a service's clone (the hotfix flow's working branch). */
  async createBranch(service: string, branch: string, sha: string): Promise<void> {
    return createBranch(this, service, branch, sha)
  }

  /** Sets a local ref of a service's clone. */
  async setRef(service: string, ref: string, sha: string): Promise<void> {
    return setRef(this, service, ref, sha)
  }

  /**
   * Runs `work` on a service's clone with its own abort controller (linked to `signal`), after any operation
   * already running on it, recording the failure for `status`. Exposed for the push and hotfix helpers.
   */
  async exclusive<T>(
    source: RepoSource,
    operation: Operation,
    signal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const previous = this.queues.get(source.service) ?? Promise.resolve()
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const controller = new AbortController()
        const onAbort = (): void => controller.abort()
        signal?.addEventListener('abort', onAbort)
        if (signal?.aborted) controller.abort()
        this.running.set(source.service, { operation, controller })
        try {
          const result = await work(controller.signal)
          if (operation !== 'push') this.failures.delete(source.service)
          return result
        } catch (error) {
          const appError = toGitAppError(error, this.context(source, operation, { aborted: controller.signal.aborted }))
          if (operation !== 'push') this.failures.set(source.service, appError)
          throw appError
        } finally {
          signal?.removeEventListener('abort', onAbort)
          this.running.delete(source.service)
        }
      })
    this.queues.set(source.service, run)
    return run
  }

  private context(source: RepoSource, operation: Operation, extra: Partial<GitErrorContext> = {}): GitErrorContext {
    return {
      service: source.service,
      operation,
      url: source.url,
      ...(source.credential !== undefined ? { credential: source.credential } : {}),
      ...extra,
    }
  }

  private warned(outcome: FetchOutcome): FetchOutcome {
    for (const warning of outcome.warnings ?? []) this.options.onWarning?.(warning)
    return outcome
  }

  private async healthy(source: RepoSource): Promise<boolean> {
    const gitdir = this.gitdir(source.service)
    await replayJournal(gitdir)
    const marker = await readMarker(gitdir)
    if (!marker || marker.url !== redactUrl(source.url)) return false
    return (await checkHealth(gitdir)) === undefined
  }

  private transfer(source: RepoSource, signal: AbortSignal, depth?: number): Transfer {
    return {
      source,
      depth,
      root: this.options.root,
      gitdir: this.gitdir(source.service),
      signal,
      secret: this.options.secret,
      now: () => this.clock().toISOString(),
      idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
      // The last report is kept for `status`: a window opened mid-clone shows how far it got.
      onProgress: (progress) => {
        const running = this.running.get(source.service)
        if (running) running.progress = progress
        this.options.onProgress?.(progress)
      },
    }
  }
}
