import * as fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import git from 'isomorphic-git'
import type { Sha } from '../../../../shared/models/workspace'
import { redactUrl } from '../git-errors'
import { authHooks } from './auth'
import type { Clones, RepoSource } from './clones'
import { readMarker, writeMarker } from './health'
import { abortableHttp } from './http-client'
import { readCloneRefs, writeLooseRef } from './refs'
import { fetchPack } from './upload-pack-one'

/** A server silent this long fails a one-ref fetch with `timeout`: the refs it serves are small. */
const IDLE_TIMEOUT_MS = 20_000

/**
 * Fetches one ref that is neither a branch nor a tag (e.g. `refs/trainyard/coordination`) into a bare clone that
 * holds only that ref, under the same name; makes the clone first when there is none (built aside, renamed into
 * place with its completion marker). Returns the ref's SHA, or undefined when the remote has no such ref (the
 * local copy then goes too). A failed fetch changes no ref: the ref is written only once its objects are in.
 */
export async function fetchRef(
  clones: Clones,
  source: RepoSource,
  ref: string,
  opts: { signal?: AbortSignal; now: () => string },
): Promise<Sha | undefined> {
  return clones.exclusive(source, 'fetch', opts.signal, async (signal) => {
    const gitdir = clones.gitdir(source.service)
    await ensureClone(gitdir, source, opts.now)
    const http = abortableHttp(signal, IDLE_TIMEOUT_MS)
    const hooks = authHooks(source.credential, clones.secret)
    // Sent up front when the workspace names a credential: the pack request below has no 401 dance of its own.
    const login = source.credential === undefined ? undefined : await hooks.onAuth(source.url, {})
    const headers: Record<string, string> = login?.username
      ? { authorization: `Basic ${Buffer.from(`${login.username}:${login.password ?? ''}`).toString('base64')}` }
      : {}
    const listed = await git.listServerRefs({
      http,
      url: source.url,
      prefix: ref,
      protocolVersion: 1,
      headers,
      onAuth: hooks.onAuth,
      onAuthFailure: hooks.onAuthFailure,
    })
    signal.throwIfAborted()
    const remote = listed.find((r) => r.ref === ref)?.oid
    const local = (await readCloneRefs(gitdir)).refs.get(ref)
    if (remote === undefined) {
      if (local !== undefined) await rm(join(gitdir, ref), { force: true })
    } else if (remote !== local) {
      const cache = clones.cache(source.service)
      const have = local !== undefined && (await hasCommit(gitdir, cache, local)) ? [local] : []
      await fetchPack({ http, url: source.url, headers, want: remote, haves: have, gitdir, cache })
      signal.throwIfAborted()
      await git.readCommit({ fs, gitdir, cache, oid: remote })
      await writeLooseRef(gitdir, ref, remote)
    }
    await touchMarker(gitdir, opts.now)
    return remote
  })
}

async function hasCommit(gitdir: string, cache: object, sha: Sha): Promise<boolean> {
  return git.readCommit({ fs, gitdir, cache, oid: sha }).then(
    () => true,
    () => false,
  )
}

async function touchMarker(gitdir: string, now: () => string): Promise<void> {
  const marker = await readMarker(gitdir)
  if (marker) await writeMarker(gitdir, { ...marker, fetchedAt: now() })
}

/** Makes an empty bare clone of `source` at `gitdir` unless a complete one of the same URL is there. */
async function ensureClone(gitdir: string, source: RepoSource, now: () => string): Promise<void> {
  const url = redactUrl(source.url)
  const marker = await readMarker(gitdir)
  if (marker?.url === url) return
  const root = dirname(gitdir)
  await mkdir(root, { recursive: true })
  const temp = join(root, `.${source.service}.git.tmp-${randomBytes(4).toString('hex')}`)
  try {
    await git.init({ fs, gitdir: temp, bare: true, defaultBranch: 'main' })
    await git.addRemote({ fs, gitdir: temp, remote: 'origin', url })
    const at = now()
    await writeMarker(temp, { format: 1, service: source.service, url, clonedAt: at, fetchedAt: at })
    await rm(gitdir, { recursive: true, force: true })
    await rename(temp, gitdir)
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}
