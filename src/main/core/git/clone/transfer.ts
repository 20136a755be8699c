import * as fs from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import git from 'isomorphic-git'
import type { RepoProgress } from '../../../../shared/api/views'
import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import { redactUrl, toGitAppError } from '../git-errors'
import { ObjectStore } from '../objects/object-store'
import { readStoredRefs } from '../ref-store'
import type { SecretLookup } from './auth'
import { downloadPack, progressReporter } from './download'
import { checkHealth, readMarker, writeMarker } from './health'
import { clearJournal, releaseJournal, writeJournal } from './journal'
import { consolidatePacks } from './pack-upkeep'
import { movedRefs, readFetchedRefs, REMOTE_HEAD, setFetchedRefs, setRemoteHead } from './refs'
import type { FetchedRefs, RefMove } from './refs'
import { discover, type Remote } from './remote'
import type { SmartHttp } from './smart-http'
import { cloneTempDir, removeLeftovers, swapInto } from './clone-dir'
import { fetchRest, firstWants } from './recent-first'
import { readShallow, stillCut, writeShallow } from './shallow'

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
  /** What the transfer skipped and why (e.g. a ref name git would refuse), for the log. */
  warnings?: string[]
  /** The clone is shallow: its history is still loading (a fetch deepens it). */
  partial?: true
}

/** Everything one clone or fetch of one service needs. */
export interface Transfer {
  source: RepoSource
  /** App data dir holding the clones. */
  root: string
  gitdir: string
  signal: AbortSignal
  secret: SecretLookup
  now: () => string
  idleTimeoutMs: number
  onProgress?: ((progress: RepoProgress) => void) | undefined
  /** A fresh clone takes only this many commits of the default branch first (shallow); the next fetch deepens it. */
  depth?: number | undefined
}

type Operation = 'clone' | 'fetch'

// Everything a transfer throws becomes an AppError naming the service, the URL and (for auth) the credential.
async function translated<T>(
  t: Transfer,
  operation: Operation,
  http: () => SmartHttp | undefined,
  work: () => Promise<T>,
) {
  try {
    return await work()
  } catch (error) {
    throw toGitAppError(error, {
      service: t.source.service,
      operation,
      url: t.source.url,
      ...(t.source.credential !== undefined ? { credential: t.source.credential } : {}),
      authRefused: http()?.refused ?? false,
      aborted: t.signal.aborted,
    })
  }
}

/**
 * Clones afresh into a hidden temp dir next to the target: the pack streamed and indexed there, every ref
 * written packed, the completion marker written and checked, then the dir renamed over the target, so an
 * interrupted clone never leaves a repository at `gitdir`.
 */
export async function cloneFresh(t: Transfer): Promise<FetchOutcome> {
  const { root, source, signal } = t
  await mkdir(root, { recursive: true })
  await removeLeftovers(root, source.service)
  const temp = cloneTempDir(root, source.service)
  const report = progressReporter(source.service, 'clone', t.onProgress)
  let remote: Remote | undefined
  try {
    return await translated(
      t,
      'clone',
      () => remote?.http,
      async () => {
        await git.init({ fs, gitdir: temp, bare: true, defaultBranch: 'main' })
        await git.addRemote({ fs, gitdir: temp, remote: 'origin', url: redactUrl(source.url) })
        remote = await discover(t)
        const first = firstWants(t, remote)
        const wants = first?.wants ?? unique([...remote.refs.values()].map((r) => r.sha))
        const boundary: Sha[] = []
        if (wants.length > 0) {
          const http = remote.http
          await downloadPack({
            gitdir: temp,
            http,
            capabilities: remote.ad.capabilities,
            wants,
            haves: [],
            ...(first
              ? { deepen: first.depth, onShallow: (kind, sha) => kind === 'shallow' && boundary.push(sha) }
              : {}),
            signal,
            report,
          })
        }
        // The boundary goes in before the marker: a clone at `gitdir` is never shallow without saying so.
        if (boundary.length > 0) writeShallow(temp, boundary)
        // A history shorter than the depth came whole: the other branches and tags follow now, as a fetch would.
        else if (first) await fetchRest(temp, remote, signal, report)
        // One object store for both checks: opening one reads every pack index whole.
        const store = new ObjectStore(temp)
        const now = t.now()
        let refs = remote.refs
        try {
          const whole = boundary.length === 0
          assertComplete(store, whole ? unique([...refs.values()].map((r) => r.sha)) : wants, source.service)
          // A shallow first clone holds the refs whose objects came (the default branch, tags in its recent history).
          if (boundary.length > 0) refs = new Map([...refs].filter(([, r]) => store.has(r.sha)))
          await finishClone(t, temp, { ...remote, refs }, store, now)
        } finally {
          store.close()
        }
        signal.throwIfAborted()
        await swapInto(temp, t.gitdir, root, source.service)
        const moved = movedRefs(new Map(), refs)
        return {
          service: source.service,
          cloned: true,
          moved,
          fetchedAt: now,
          ...warned(remote.warnings),
          ...(boundary.length > 0 ? { partial: true as const } : {}),
        }
      },
    )
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}

// Refs, HEAD and the completion marker of a clone whose objects are all in place, then its health check.
async function finishClone(t: Transfer, temp: string, remote: Remote, store: ObjectStore, now: string) {
  const { source } = t
  await setFetchedRefs(temp, remote.refs)
  if (remote.defaultBranch !== undefined) {
    await setRemoteHead(temp, remote.defaultBranch)
    // HEAD stays an unborn local branch (git wants HEAD inside refs/heads); the remote's default is origin/HEAD.
    await git.writeRef({
      fs,
      gitdir: temp,
      ref: 'HEAD',
      value: `refs/heads/${remote.defaultBranch}`,
      symbolic: true,
      force: true,
    })
  }
  await writeMarker(temp, {
    format: 1,
    service: source.service,
    url: redactUrl(source.url),
    clonedAt: now,
    fetchedAt: now,
  })
  const problem = await checkHealth(temp, [], store)
  if (problem)
    throw new AppError('clone-incomplete', `The clone of ${source.service} is incomplete (${problem}); fetch again.`)
}

/**
 * Fetches every branch and tag into an existing clone and reports what moved. The advertised refs are compared
 * with the clone's in one pass; with nothing new, nothing is downloaded or written but the marker's time. Else
 * only what is missing is downloaded (a thin pack, completed from the clone) and installed, and only then are
 * the refs rewritten, packed, under a journal that `replayJournal` undoes should the process die halfway.
 */
export async function fetchInto(t: Transfer): Promise<FetchOutcome> {
  const { gitdir, source, signal } = t
  const report = progressReporter(source.service, 'fetch', t.onProgress)
  let remote: Remote | undefined
  return translated(
    t,
    'fetch',
    () => remote?.http,
    async () => {
      const before = await readFetchedRefs(gitdir)
      remote = await discover(t)
      const moved = movedRefs(before, remote.refs)
      const headBefore = readStoredRefs(gitdir).symrefs.get(REMOTE_HEAD)
      const headAfter = remote.defaultBranch === undefined ? undefined : `refs/remotes/origin/${remote.defaultBranch}`
      // A shallow clone deepens to the whole history: every tip is wanted, moved or not, with no haves, so the
      // server sends its pack as for a clone (git reuses it as it lies on disk), far cheaper for it than the
      // negotiation of `fetch --unshallow`; the recent objects the clone has come a second time, once.
      const shallow = readShallow(gitdir)
      const deepening = shallow.length > 0
      if (moved.length > 0 || deepening) {
        const wants = deepening ? unique([...remote.refs.values()].map((r) => r.sha)) : missing(gitdir, moved)
        if (wants.length > 0) {
          const haves = deepening ? [] : localTips(gitdir, before)
          const http = remote.http
          await downloadPack({ gitdir, http, capabilities: remote.ad.capabilities, wants, haves, signal, report })
          const store = new ObjectStore(gitdir)
          try {
            assertComplete(store, wants, source.service)
          } finally {
            store.close()
          }
        }
        signal.throwIfAborted()
        await writeJournal(gitdir, before)
        try {
          await setFetchedRefs(gitdir, remote.refs)
        } catch (error) {
          // Put the refs back now; should that fail too, the journal stays for the next open to replay.
          await setFetchedRefs(gitdir, before).then(
            () => clearJournal(gitdir),
            () => releaseJournal(gitdir),
          )
          throw error
        }
        await clearJournal(gitdir)
        // Last: until here the old boundary stays true of what is present, so a deepen cut short is only redone.
        if (deepening) writeShallow(gitdir, stillCut(gitdir, shallow))
        if (wants.length > 0) await consolidatePacks(gitdir)
      }
      if (remote.defaultBranch !== undefined && headAfter !== headBefore)
        await setRemoteHead(gitdir, remote.defaultBranch)
      const marker = await readMarker(gitdir)
      const now = t.now()
      if (marker) await writeMarker(gitdir, { ...marker, fetchedAt: now })
      return {
        service: source.service,
        cloned: false,
        moved,
        fetchedAt: now,
        ...warned(remote.warnings),
        ...(readShallow(gitdir).length > 0 ? { partial: true as const } : {}),
      }
    },
  )
}

function warned(warnings: string[]): { warnings?: string[] } {
  return warnings.length > 0 ? { warnings } : {}
}

function unique(shas: Sha[]): Sha[] {
  return [...new Set(shas)]
}

// The new SHAs the clone does not hold already (a branch created at a known commit needs no download).
function missing(gitdir: string, moved: RefMove[]): Sha[] {
  const store = new ObjectStore(gitdir)
  try {
    return unique(moved.flatMap((m) => (m.to === undefined || store.has(m.to) ? [] : [m.to])))
  } finally {
    store.close()
  }
}

// What the clone has, for the server to send only the rest: every fetched and local branch tip and tag.
function localTips(gitdir: string, fetched: FetchedRefs): Sha[] {
  const local = [...readStoredRefs(gitdir).refs].filter(([ref]) => ref.startsWith('refs/heads/')).map(([, sha]) => sha)
  return unique([...local, ...[...fetched.values()].map((r) => r.sha)])
}

function assertComplete(store: ObjectStore, wants: Sha[], service: string): void {
  const absent = wants.find((sha) => !store.has(sha))
  if (absent !== undefined)
    throw new AppError('clone-incomplete', `The server's pack for ${service} lacks ${absent}; fetch again.`)
}
