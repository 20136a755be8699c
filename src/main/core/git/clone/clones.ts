import * as fs from 'node:fs'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import git from 'isomorphic-git'
import { AppError } from '../../../../shared/errors'
import type { RepoProgress, RepoStatus } from '../../../../shared/api/views'
import { redactUrl, toGitAppError } from '../git-errors'
import type { GitErrorContext } from '../git-errors'
import { authHooks } from './auth'
import type { SecretLookup } from './auth'
import { checkHealth, clearJournal, readMarker, replayJournal, writeJournal, writeMarker } from './health'
import { abortableHttp } from './http-client'
import { createBranch, pushBranch, setRef } from './push'
import type { PushRequest } from './push'
import { fetchedRefs, movedRefs, readCloneRefs, restoreFetchedRefs } from './refs'
import type { CloneRefs, RefMove } from './refs'

/** Where a service's repository lives and which credential reads it (from the workspace's `service.repo`). */
export interface RepoSource {
  service: string
  url: string
  credential?: string
}

/** The ports a set of clones needs. */
export interface ClonesOptions {
  /** App data directory holding one bare clone per service: `<root>/<service>.git`. */
  root: string
  secret: SecretLookup
  clock?: () => Date
  onProgress?: (progress: RepoProgress) => void
}

/** What a clone or fetch changed: every moved remote branch and tag (on a fresh clone, all of them as created). */
export interface FetchOutcome {
  service: string
  cloned: boolean
  moved: RefMove[]
  fetchedAt: string
}

type Operation = 'clone' | 'fetch' | 'push'

interface Running {
  operation: Operation
  controller: AbortController
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
      running?.operation === 'clone' ? 'cloning' : running?.operation === 'fetch' ? 'fetching' : marker ? 'ready' : error ? 'failed' : 'missing'
    return { service, state, ...(marker ? { fetchedAt: marker.fetchedAt } : {}), ...(error ? { error } : {}) }
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
      return this.cloneFresh(source, signal)
    })
  }

  /** Fetches every branch and tag (pruning deleted ones) and reports the refs that moved; clones first when needed. */
  async fetch(source: RepoSource, opts: { signal?: AbortSignal } = {}): Promise<FetchOutcome> {
    return this.exclusive(source, 'fetch', opts.signal, async (signal) => {
      if (await this.healthy(source)) return this.fetchInto(source, signal)
      const running = this.running.get(source.service)
      if (running) running.operation = 'clone'
      return this.cloneFresh(source, signal)
    })
  }

  /** Pushes a branch with a lease (see `pushBranch` in push.ts); refused with `push-rejected` when the remote moved. */
  async pushBranch(source: RepoSource, request: PushRequest): Promise<void> {
    return pushBranch(this, source, request)
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
  async exclusive<T>(source: RepoSource, operation: Operation, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const previous = this.queues.get(source.service) ?? Promise.resolve()
    const run = previous.catch(() => undefined).then(async () => {
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
    return { service: source.service, operation, url: source.url, ...(source.credential !== undefined ? { credential: source.credential } : {}), ...extra }
  }

  private async healthy(source: RepoSource): Promise<boolean> {
    const gitdir = this.gitdir(source.service)
    await replayJournal(gitdir)
    const marker = await readMarker(gitdir)
    if (!marker || marker.url !== redactUrl(source.url)) return false
    return (await checkHealth(gitdir, this.cache(source.service))) === undefined
  }

  private transferOptions(source: RepoSource, operation: 'clone' | 'fetch', signal: AbortSignal) {
    const hooks = authHooks(source.credential, this.options.secret)
    const onProgress = this.options.onProgress
    return {
      hooks,
      options: {
        fs,
        http: abortableHttp(signal),
        cache: this.cache(source.service),
        remote: 'origin',
        url: source.url,
        tags: true,
        singleBranch: false,
        prune: true,
        pruneTags: true,
        onAuth: hooks.onAuth,
        onAuthFailure: hooks.onAuthFailure,
        // Never throw from here: isomorphic-git calls it from a promise it does not await.
        onProgress: (p: { phase: string; loaded: number; total?: number }) =>
          onProgress?.({ service: source.service, operation, phase: p.phase, loaded: p.loaded, ...(p.total ? { total: p.total } : {}) }),
      },
    }
  }

  private async cloneFresh(source: RepoSource, signal: AbortSignal): Promise<FetchOutcome> {
    const { root } = this.options
    const target = this.gitdir(source.service)
    await mkdir(root, { recursive: true })
    await removeLeftovers(root, source.service)
    const temp = join(root, `.${source.service}.git.tmp-${randomBytes(4).toString('hex')}`)
    // A fresh cache: the old one describes packs of the clone being replaced.
    this.caches.set(source.service, {})
    const { hooks, options } = this.transferOptions(source, 'clone', signal)
    try {
      await git.init({ fs, gitdir: temp, bare: true, defaultBranch: 'main' })
      // The config keeps the URL without user-info; the full URL is passed to each call, so a token never lands on disk.
      await git.addRemote({ fs, gitdir: temp, remote: 'origin', url: redactUrl(source.url) })
      const result = await git.fetch({ ...options, gitdir: temp }).catch((error: unknown) => {
        throw toGitAppError(error, this.context(source, 'clone', { authRefused: hooks.refused, aborted: signal.aborted }))
      })
      signal.throwIfAborted()
      if (result.defaultBranch) {
        const branch = result.defaultBranch.replace(/^refs\/heads\//, '')
        // HEAD stays an unborn local branch (git wants HEAD inside refs/heads); the remote's default is refs/remotes/origin/HEAD.
        await git.writeRef({ fs, gitdir: temp, ref: 'HEAD', value: `refs/heads/${branch}`, symbolic: true, force: true })
      }
      const now = this.clock().toISOString()
      await writeMarker(temp, { format: 1, service: source.service, url: redactUrl(source.url), clonedAt: now, fetchedAt: now })
      const problem = await checkHealth(temp, this.cache(source.service))
      if (problem) throw new AppError('clone-incomplete', `The clone of ${source.service} is incomplete (${problem}); fetch again.`)
      const moved = movedRefs({}, fetchedRefs((await readCloneRefs(temp)).refs))
      signal.throwIfAborted()
      await swapInto(temp, target, root, source.service)
      return { service: source.service, cloned: true, moved, fetchedAt: now }
    } catch (error) {
      await rm(temp, { recursive: true, force: true })
      throw error
    }
  }

  private async fetchInto(source: RepoSource, signal: AbortSignal): Promise<FetchOutcome> {
    const gitdir = this.gitdir(source.service)
    const before = fetchedRefs((await readCloneRefs(gitdir)).refs)
    await writeJournal(gitdir, before)
    const { hooks, options } = this.transferOptions(source, 'fetch', signal)
    try {
      await git.fetch({ ...options, gitdir }).catch((error: unknown) => {
        throw toGitAppError(error, this.context(source, 'fetch', { authRefused: hooks.refused, aborted: signal.aborted }))
      })
      signal.throwIfAborted()
      const moved = movedRefs(before, fetchedRefs((await readCloneRefs(gitdir)).refs))
      const arrived = moved.flatMap((m) => (m.to === undefined ? [] : [m.to]))
      await clearJournal(gitdir)
      const problem = await checkHealth(gitdir, this.cache(source.service), arrived)
      if (problem) throw new AppError('clone-incomplete', `The fetch of ${source.service} is incomplete (${problem}); fetch again.`)
      const marker = await readMarker(gitdir)
      const now = this.clock().toISOString()
      if (marker) await writeMarker(gitdir, { ...marker, fetchedAt: now })
      return { service: source.service, cloned: false, moved, fetchedAt: now }
    } catch (error) {
      // isomorphic-git writes the new ref values before the pack has arrived: put the old ones back.
      await restoreFetchedRefs(gitdir, before)
      await clearJournal(gitdir)
      throw error
    }
  }
}

/** Removes temp and trash dirs a crashed clone of `service` left behind. */
async function removeLeftovers(root: string, service: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (name.startsWith(`.${service}.git.tmp-`) || name.startsWith(`.${service}.git.old-`)) {
      await rm(join(root, name), { recursive: true, force: true })
    }
  }
}

/** Moves a complete clone into place; an old clone is renamed aside first and then removed. */
async function swapInto(temp: string, target: string, root: string, service: string): Promise<void> {
  const old = join(root, `.${service}.git.old-${randomBytes(4).toString('hex')}`)
  const hadOld = await rename(target, old).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false
      throw error
    },
  )
  await rename(temp, target)
  if (hadOld) await rm(old, { recursive: true, force: true })
}
