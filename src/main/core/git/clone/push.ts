import * as fs from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import { toGitAppError } from '../git-errors'
import { ObjectStore } from '../objects/object-store'
import { authHooks } from './auth'
import type { Clones, RepoSource } from './clones'
import { abortableHttp } from './http-client'
import { writeLooseRef } from './refs'

const ZERO = '0000000000000000000000000000000000000000'
const BRANCH = /^(?!\/|.*(?:\.\.|\/\/|@\{|\.lock$|\/$|\.$))[A-Za-z0-9._/-]+$/

/** A push of one branch with a lease: it goes through only if the remote branch is where the caller last saw it. */
export interface PushRequest {
  branch: string
  sha: Sha
  /** The remote branch's SHA the caller expects; undefined = the branch must not exist yet. */
  expectedRemoteSha: Sha | undefined
  signal?: AbortSignal
}

/**
 * Pushes `sha` to the remote branch with a lease, the way `git push --force-with-lease` does.
 * The lease is checked against the refs the push itself discovered (isomorphic-git's pre-push hook), and
 * receive-pack then updates the branch only if it still holds that same value, so a push that raced
 * ours is never overwritten. A non-fast-forward is allowed when the lease holds. On success the local
 * branch `refs/heads/<branch>` and `refs/remotes/origin/<branch>` are set to `sha`.
 */
export async function pushBranch(clones: Clones, source: RepoSource, request: PushRequest): Promise<void> {
  const { branch, sha, expectedRemoteSha } = request
  assertBranchName(branch)
  await pushRef(clones, source, {
    ref: `refs/heads/${branch}`,
    sha,
    expectedRemoteSha,
    ...(request.signal ? { signal: request.signal } : {}),
  })
  await writeLooseRef(clones.gitdir(source.service), `refs/heads/${branch}`, sha)
}

/** A push of any one ref (a branch, or a ref of Trainyard's own such as `refs/trainyard/coordination`) with a lease. */
export interface PushRefRequest {
  /** The full remote ref name. */
  ref: string
  sha: Sha
  /** The remote ref's SHA the caller expects; undefined = the ref must not exist yet. */
  expectedRemoteSha: Sha | undefined
  signal?: AbortSignal
}

/**
 * Pushes `sha` to one remote ref with a lease (see `pushBranch`); refused with `push-rejected` (details:
 * `expected`, `found`) when the remote ref is not where the caller last saw it. Changes no local ref.
 */
export async function pushRef(clones: Clones, source: RepoSource, request: PushRefRequest): Promise<void> {
  const { ref, sha, expectedRemoteSha } = request
  assertRefName(ref)
  await clones.exclusive(source, 'push', request.signal, async (signal) => {
    const gitdir = clones.gitdir(source.service)
    const cache = clones.cache(source.service)
    assertCommitInClone(gitdir, sha, source.service)
    const hooks = authHooks(source.credential, clones.secret)
    let leaseBroken = false
    let found: Sha | undefined
    // isomorphic-git pushes a local ref: a scratch one, so a refused push leaves every local ref alone.
    const scratch = `refs/trainyard/push/${ref.replace(/^refs\//, '')}`
    await writeLooseRef(gitdir, scratch, sha)
    try {
      await git.push({
        fs,
        http: abortableHttp(signal),
        cache,
        gitdir,
        remote: 'origin',
        url: source.url,
        ref: scratch,
        remoteRef: ref,
        force: true,
        signal,
        onAuth: hooks.onAuth,
        onAuthFailure: hooks.onAuthFailure,
        onPrePush: ({ remoteRef }) => {
          const current = remoteRef.oid === ZERO ? undefined : remoteRef.oid
          if (current === expectedRemoteSha) return true
          found = current
          leaseBroken = true
          return false
        },
      })
    } catch (error) {
      if (leaseBroken) {
        const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined
        const what = branch === undefined ? `ref ${ref}` : `branch ${branch}`
        const none = branch === undefined ? 'no ref' : 'no branch'
        throw new AppError(
          'push-rejected',
          `The remote ${what} of ${source.service} moved: expected ${expectedRemoteSha ?? none}, found ${found ?? none}; fetch and retry.`,
          {
            service: source.service,
            ...(branch === undefined ? { ref } : { branch }),
            expected: expectedRemoteSha ?? null,
            found: found ?? null,
          },
        )
      }
      throw toGitAppError(error, {
        service: source.service,
        operation: 'push',
        url: source.url,
        ...(source.credential !== undefined ? { credential: source.credential } : {}),
        authRefused: hooks.refused,
        aborted: signal.aborted,
      })
    } finally {
      await rm(join(gitdir, scratch), { force: true })
    }
  })
}

/** Creates the local branch `refs/heads/<branch>` at `sha` in a service's clone; refuses to move an existing one. */
export async function createBranch(clones: Clones, service: string, branch: string, sha: Sha): Promise<void> {
  assertBranchName(branch)
  const gitdir = clones.gitdir(service)
  assertCommitInClone(gitdir, sha, service)
  const existing = (await clones.refs(service)).refs.get(`refs/heads/${branch}`)
  if (existing !== undefined && existing !== sha) {
    throw new AppError(
      'invalid-input',
      `The branch ${branch} already exists in the clone of ${service} at ${existing}.`,
    )
  }
  await writeLooseRef(gitdir, `refs/heads/${branch}`, sha)
}

/** Sets a local ref (`refs/heads/…` or another name under `refs/`, never a fetched one) of a service's clone to `sha`. */
export async function setRef(clones: Clones, service: string, ref: string, sha: Sha): Promise<void> {
  if (
    !ref.startsWith('refs/') ||
    ref.startsWith('refs/remotes/') ||
    ref.startsWith('refs/tags/') ||
    ref.includes('..')
  ) {
    throw new AppError('invalid-input', `Trainyard only sets local refs, not ${ref}.`)
  }
  assertCommitInClone(clones.gitdir(service), sha, service)
  await writeLooseRef(clones.gitdir(service), ref, sha)
}

function assertBranchName(branch: string): void {
  if (!BRANCH.test(branch)) throw new AppError('invalid-input', `${JSON.stringify(branch)} is not a valid branch name.`)
}

function assertRefName(ref: string): void {
  if (!ref.startsWith('refs/') || ref.startsWith('refs/remotes/') || !BRANCH.test(ref.slice('refs/'.length)))
    throw new AppError('invalid-input', `${JSON.stringify(ref)} is not a ref Trainyard pushes.`)
}

// Our own pack reader (pread on the .idx and .pack): isomorphic-git would load a whole pack into memory.
function assertCommitInClone(gitdir: string, sha: Sha, service: string): void {
  const store = new ObjectStore(gitdir)
  let type: string | undefined
  try {
    type = /^[0-9a-f]{40}$/.test(sha) ? store.read(sha)?.type : undefined
  } catch {
    type = undefined
  } finally {
    store.close()
  }
  if (type !== 'commit')
    throw new AppError('sha-not-in-clone', `The commit ${sha} is not in the clone of ${service}; fetch and retry.`, {
      service,
      sha,
    })
}
