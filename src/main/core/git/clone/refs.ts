import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Sha } from '../../../../shared/models/workspace'
import { ObjectStore } from '../objects/object-store'
import { parsePackedRefs, writePackedRefs, type PackedRef } from '../packed-refs'
import { readStoredRefs } from '../ref-store'

/** The refs of a clone: full ref name → the SHA it stores (for an annotated tag, the tag object's SHA). */
export interface CloneRefs {
  refs: Map<string, Sha>
  /** Symbolic refs, e.g. `HEAD` → `refs/remotes/origin/main`. */
  symrefs: Map<string, string>
  /** Annotated tags from `packed-refs` peel lines: tag ref → commit SHA (loose tags are not peeled here). */
  peeled: Map<string, Sha>
}

/** How one ref changed in a fetch: `from` absent = created, `to` absent = deleted. */
export interface RefMove {
  ref: string
  from?: Sha
  to?: Sha
}

/** The fetched refs of a clone (remote branches and tags), each with what it peels to when it is a tag object. */
export type FetchedRefs = Map<string, PackedRef>

/** The refs a fetch owns: remote branches and tags (local branches under `refs/heads/` are the hotfix flow's). */
export const FETCHED_PREFIXES = ['refs/remotes/origin/', 'refs/tags/'] as const

/** The symbolic ref naming the remote's default branch; written loose, never packed (git cannot pack symrefs). */
export const REMOTE_HEAD = 'refs/remotes/origin/HEAD'

const SHA = /^[0-9a-f]{40}$/

/** Whether a fetch owns this ref. */
export function isFetchedRef(ref: string): boolean {
  return ref !== REMOTE_HEAD && FETCHED_PREFIXES.some((p) => ref.startsWith(p))
}

/** Reads every ref of a gitdir (`packed-refs` overlaid by loose files; see `readStoredRefs`). */
export function readCloneRefs(gitdir: string): Promise<CloneRefs> {
  return new Promise((resolve) => {
    const { refs, symrefs, peeled } = readStoredRefs(gitdir)
    resolve({ refs, symrefs, peeled })
  })
}

/**
 * The fetched refs of a clone as they stand, peeled: `packed-refs` says what its tags peel to; a loose tag (a
 * clone written before refs were packed) is peeled by reading its object.
 */
export function readFetchedRefs(gitdir: string): Promise<FetchedRefs> {
  return new Promise((resolve) => {
    const stored = readStoredRefs(gitdir)
    const out: FetchedRefs = new Map()
    let store: ObjectStore | undefined
    try {
      for (const [ref, sha] of stored.refs) {
        if (!isFetchedRef(ref)) continue
        let peeled = stored.peeled.get(ref)
        if (peeled === undefined && stored.loose.has(ref) && ref.startsWith('refs/tags/')) {
          store ??= new ObjectStore(gitdir)
          peeled = peelTag(store, sha)
        }
        out.set(ref, peeled === undefined ? { ref, sha } : { ref, sha, peeled })
      }
    } finally {
      store?.close()
    }
    resolve(out)
  })
}

/** What a tag object peels to (following nested tags), or undefined when `sha` is not a readable tag. */
export function peelTag(store: ObjectStore, sha: Sha): Sha | undefined {
  let current = sha
  for (let depth = 0; depth < 16; depth++) {
    const object = store.read(current)
    if (object?.type !== 'tag') return current === sha ? undefined : current
    const target = /^object ([0-9a-f]{40})$/m.exec(object.data.toString('latin1', 0, 200))?.[1]
    if (target === undefined) return undefined
    current = target
  }
  return undefined
}

/** Which fetched refs moved between two snapshots, sorted by ref name. */
export function movedRefs(before: FetchedRefs, after: FetchedRefs): RefMove[] {
  const moves: RefMove[] = []
  for (const [ref, was] of before) {
    const to = after.get(ref)?.sha
    if (was.sha !== to) moves.push({ ref, from: was.sha, ...(to !== undefined ? { to } : {}) })
  }
  for (const [ref, now] of after) if (!before.has(ref)) moves.push({ ref, to: now.sha })
  return moves.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
}

/**
 * Makes the fetched refs exactly `next`: one new `packed-refs` (other refs packed there are kept), then the
 * loose files of fetched refs removed, since a loose file would override the packed value. Every step leaves
 * refs that name objects the clone has, so a crash in between leaves older values, never dangling ones.
 */
export async function setFetchedRefs(gitdir: string, next: FetchedRefs): Promise<void> {
  const text = await readFile(join(gitdir, 'packed-refs'), 'utf8').catch(() => '')
  const packed = parsePackedRefs(text)
  const kept = [...packed.refs.values()].filter((r) => !isFetchedRef(r.ref))
  await writePackedRefs(gitdir, [...kept, ...next.values()], packed.fullyPeeled || kept.length === 0)
  const loose = readStoredRefs(gitdir).loose
  for (const ref of loose) if (isFetchedRef(ref)) await removeLoose(gitdir, ref)
}

/** Points `refs/remotes/origin/HEAD` at the remote's default branch (a loose symbolic ref, as git writes it). */
export async function setRemoteHead(gitdir: string, branch: string): Promise<void> {
  const path = join(gitdir, REMOTE_HEAD)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(`${path}.lock`, `ref: refs/remotes/origin/${branch}\n`)
  await rename(`${path}.lock`, path)
}

/** Writes one loose ref atomically (lock file, then rename), as git does. */
export async function writeLooseRef(gitdir: string, ref: string, sha: Sha): Promise<void> {
  if (!SHA.test(sha)) throw new Error(`not a full sha: ${sha}`)
  const path = join(gitdir, ref)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(`${path}.lock`, `${sha}\n`)
  await rename(`${path}.lock`, path)
}

// Removes a loose ref file and the directories it leaves empty (never `refs/tags` or `refs/remotes/origin`).
async function removeLoose(gitdir: string, ref: string): Promise<void> {
  await rm(join(gitdir, ref), { force: true })
  const parts = ref.split('/')
  for (let depth = parts.length - 1; depth > 2; depth--) {
    const dir = parts.slice(0, depth).join('/')
    if ((FETCHED_PREFIXES as readonly string[]).includes(`${dir}/`)) return
    const removed = await rmdir(join(gitdir, dir)).then(
      () => true,
      () => false,
    )
    if (!removed) return
  }
}
