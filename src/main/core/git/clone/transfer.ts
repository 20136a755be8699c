import * as fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import git from 'isomorphic-git'
import type { RepoProgress } from '../../../../shared/api/views'
import { AppError } from '../../../../shared/errors'
import { redactUrl, toGitAppError } from '../git-errors'
import { authHooks } from './auth'
import type { SecretLookup } from './auth'
import { checkHealth, clearJournal, readMarker, writeJournal, writeMarker } from './health'
import { abortableHttp } from './http-client'
import { fetchedRefs, movedRefs, readCloneRefs, restoreFetchedRefs } from './refs'
import type { RefMove } from './refs'

/** Where a service's repository lives and which credential reads it (from the workspace's `service.repo`). */
export interface RepoSource {
  service: string
  url: string
  credential?: string
}

/** What a clone or fetch changed: every moved remote branch and tag (on a fresh clone, all of them as created). */
export interface FetchOutcome {
  service: string
  cloned: boolean
  moved: RefMove[]
  fetchedAt: string
}

/** Everything one clone or fetch of one service needs. */
export interface Transfer {
  source: RepoSource
  /** App data dir holding the clones. */
  root: string
  gitdir: string
  cache: object
  signal: AbortSignal
  secret: SecretLookup
  now: () => string
  idleTimeoutMs: number
  onProgress?: ((progress: RepoProgress) => void) | undefined
}

/** Minimum time between two progress events of the same phase: isomorphic-git reports every object. */
const PROGRESS_EVERY_MS = 100

function fetchOptions(t: Transfer, operation: 'clone' | 'fetch') {
  const hooks = authHooks(t.source.credential, t.secret)
  let lastPhase = ''
  let lastAt = 0
  const report = t.onProgress
  return {
    hooks,
    options: {
      fs,
      http: abortableHttp(t.signal, t.idleTimeoutMs),
      cache: t.cache,
      remote: 'origin',
      // The full URL (maybe with user-info) is passed to each call; the clone's config keeps it without.
      url: t.source.url,
      tags: true,
      singleBranch: false,
      prune: true,
      pruneTags: true,
      onAuth: hooks.onAuth,
      onAuthFailure: hooks.onAuthFailure,
      // Never throws: isomorphic-git calls it from a promise it does not await.
      onProgress: (p: { phase: string; loaded: number; total?: number }) => {
        const at = Date.now()
        const last = p.total !== undefined && p.loaded >= p.total
        if (!report || (p.phase === lastPhase && !last && at - lastAt < PROGRESS_EVERY_MS)) return
        lastPhase = p.phase
        lastAt = at
        report({
          service: t.source.service,
          operation,
          phase: p.phase,
          loaded: p.loaded,
          ...(p.total ? { total: p.total } : {}),
        })
      },
    },
  }
}

function failure(t: Transfer, operation: 'clone' | 'fetch', refused: boolean) {
  return (error: unknown): never => {
    throw toGitAppError(error, {
      service: t.source.service,
      operation,
      url: t.source.url,
      ...(t.source.credential !== undefined ? { credential: t.source.credential } : {}),
      authRefused: refused,
      aborted: t.signal.aborted,
    })
  }
}

/**
 * Clones afresh into a hidden temp dir next to the target, checks it and writes the completion marker,
 * then renames it over the target: an interrupted clone never leaves a repository at `gitdir`.
 */
export async function cloneFresh(t: Transfer): Promise<FetchOutcome> {
  const { root, source, signal } = t
  await mkdir(root, { recursive: true })
  await removeLeftovers(root, source.service)
  const temp = join(root, `.${source.service}.git.tmp-${randomBytes(4).toString('hex')}`)
  const { hooks, options } = fetchOptions(t, 'clone')
  try {
    await git.init({ fs, gitdir: temp, bare: true, defaultBranch: 'main' })
    await git.addRemote({ fs, gitdir: temp, remote: 'origin', url: redactUrl(source.url) })
    const result = await git
      .fetch({ ...options, gitdir: temp })
      .catch((e: unknown) => failure(t, 'clone', hooks.refused)(e))
    signal.throwIfAborted()
    if (result.defaultBranch) {
      const branch = result.defaultBranch.replace(/^refs\/heads\//, '')
      // HEAD stays an unborn local branch (git wants HEAD inside refs/heads); the remote's default is refs/remotes/origin/HEAD.
      await git.writeRef({ fs, gitdir: temp, ref: 'HEAD', value: `refs/heads/${branch}`, symbolic: true, force: true })
    }
    const now = t.now()
    await writeMarker(temp, {
      format: 1,
      service: source.service,
      url: redactUrl(source.url),
      clonedAt: now,
      fetchedAt: now,
    })
    const problem = await checkHealth(temp)
    if (problem)
      throw new AppError('clone-incomplete', `The clone of ${source.service} is incomplete (${problem}); fetch again.`)
    const moved = movedRefs({}, fetchedRefs((await readCloneRefs(temp)).refs))
    signal.throwIfAborted()
    await swapInto(temp, t.gitdir, root, source.service)
    return { service: source.service, cloned: true, moved, fetchedAt: now }
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}

/**
 * Fetches every branch and tag into an existing clone and reports what moved. isomorphic-git writes the
 * new ref values before the pack has arrived, so the old values are journalled first and put back when
 * the fetch fails, is cancelled, or (via the journal, on the next open) when the process died mid-fetch.
 */
export async function fetchInto(t: Transfer): Promise<FetchOutcome> {
  const { gitdir, source, signal } = t
  const before = fetchedRefs((await readCloneRefs(gitdir)).refs)
  await writeJournal(gitdir, before)
  const { hooks, options } = fetchOptions(t, 'fetch')
  try {
    await git.fetch({ ...options, gitdir }).catch((e: unknown) => failure(t, 'fetch', hooks.refused)(e))
    signal.throwIfAborted()
    const moved = movedRefs(before, fetchedRefs((await readCloneRefs(gitdir)).refs))
    const arrived = moved.flatMap((m) => (m.to === undefined ? [] : [m.to]))
    await clearJournal(gitdir)
    const problem = await checkHealth(gitdir, arrived)
    if (problem)
      throw new AppError('clone-incomplete', `The fetch of ${source.service} is incomplete (${problem}); fetch again.`)
    const marker = await readMarker(gitdir)
    const now = t.now()
    if (marker) await writeMarker(gitdir, { ...marker, fetchedAt: now })
    return { service: source.service, cloned: false, moved, fetchedAt: now }
  } catch (error) {
    await restoreFetchedRefs(gitdir, before)
    await clearJournal(gitdir)
    throw error
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
