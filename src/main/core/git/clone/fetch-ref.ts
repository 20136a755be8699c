import * as fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import git from 'isomorphic-git'
import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import { redactUrl } from '../git-errors'
import { ObjectStore } from '../objects/object-store'
import { parseAdvertisement } from './advertisement'
import type { Clones, RepoSource } from './clones'
import { downloadPack } from './download'
import { readMarker, writeMarker } from './health'
import { readCloneRefs, writeLooseRef } from './refs'
import { SmartHttp } from './smart-http'

/** A server silent this long fails a one-ref fetch with `timeout`: the refs it serves are small. */
const IDLE_TIMEOUT_MS = 20_000

/**
 * Fetches one ref that is neither a branch nor a tag (e.g. `refs/trainyard/coordination`) into a bare clone that
 * holds only that ref, under the same name; makes the clone first when there is none (built aside, renamed into
 * place with its completion marker). Returns the ref's SHA, or undefined when the remote has no such ref (the
 * local copy then goes too). The same transfer as every clone (smart HTTP, the streaming pack indexer); a failed
 * fetch changes no ref: the ref is written only once its objects are in.
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
    const http = new SmartHttp({
      url: source.url,
      ...(source.credential !== undefined ? { credential: source.credential } : {}),
      secret: clones.secret,
      signal,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
    })
    const ad = parseAdvertisement(await http.advertisement())
    signal.throwIfAborted()
    const remote = ad.refs.get(ref)
    const local = (await readCloneRefs(gitdir)).refs.get(ref)
    if (remote === undefined) {
      if (local !== undefined) await rm(join(gitdir, ref), { force: true })
    } else if (remote !== local) {
      const had = holds(gitdir, [remote, ...(local === undefined ? [] : [local])])
      if (!had.has(remote)) {
        const haves = local !== undefined && had.has(local) ? [local] : []
        const report = () => undefined
        await downloadPack({ gitdir, http, capabilities: ad.capabilities, wants: [remote], haves, signal, report })
        if (!holds(gitdir, [remote]).has(remote))
          throw new AppError('clone-incomplete', `The server did not send ${ref} of ${source.service}; fetch again.`)
      }
      signal.throwIfAborted()
      await writeLooseRef(gitdir, ref, remote)
    }
    await touchMarker(gitdir, opts.now)
    return remote
  })
}

// Which of `shas` the clone holds (one store opened for the question: it reads the pack indexes).
function holds(gitdir: string, shas: Sha[]): Set<Sha> {
  const store = new ObjectStore(gitdir)
  try {
    return new Set(shas.filter((sha) => store.has(sha)))
  } finally {
    store.close()
  }
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
