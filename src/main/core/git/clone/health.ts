import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Sha } from '../../../../shared/models/workspace'
import { ObjectStore } from '../objects/object-store'
import { readCloneRefs } from './refs'

/** File in a clone's gitdir that says the clone completed: a clone without it never answers questions. */
export const MARKER_FILE = 'trainyard-clone.json'
/** What the completion marker records. */
export interface CloneMarker {
  format: 1
  service: string
  /** Repo URL the clone was made from (without user-info). */
  url: string
  clonedAt: string
  fetchedAt: string
}

/** Reads the completion marker, or undefined when the clone is missing or never completed. */
export async function readMarker(gitdir: string): Promise<CloneMarker | undefined> {
  const text = await readFile(join(gitdir, MARKER_FILE), 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    const data = JSON.parse(text) as Partial<CloneMarker>
    return data.format === 1 && typeof data.fetchedAt === 'string' ? (data as CloneMarker) : undefined
  } catch {
    return undefined
  }
}

/** Writes the completion marker atomically. */
export async function writeMarker(gitdir: string, marker: CloneMarker): Promise<void> {
  await writeAtomically(join(gitdir, MARKER_FILE), JSON.stringify(marker, null, 2))
}

/** How many refs the quick health check reads; the completion marker and the journal cover the rest. */
const HEALTH_SAMPLE = 64

/**
 * Quick health check of a clone: the marker is present, and the remote's default branch plus a sample of
 * the refs (all of them up to 64) point at objects that can be read. Returns the problem, or undefined. A caller
 * that already holds an object store of the clone passes it (opening one reads every pack index whole).
 */
export async function checkHealth(
  gitdir: string,
  mustRead: Sha[] = [],
  open?: ObjectStore,
): Promise<string | undefined> {
  if (!(await readMarker(gitdir))) return 'no completion marker'
  const { refs, symrefs } = await readCloneRefs(gitdir).catch(() => ({
    refs: new Map<string, Sha>(),
    symrefs: undefined,
  }))
  if (!symrefs) return 'unreadable refs'
  const headTarget = symrefs.get('refs/remotes/origin/HEAD')
  const head = headTarget === undefined ? undefined : refs.get(headTarget)
  const shas = new Set<Sha>(mustRead)
  if (head !== undefined) shas.add(head)
  for (const sha of refs.values()) {
    if (shas.size >= HEALTH_SAMPLE + mustRead.length) break
    shas.add(sha)
  }
  // The project's own pack reader (pread on the .idx and .pack): isomorphic-git would load whole packs into memory.
  let store: ObjectStore
  try {
    store = open ?? new ObjectStore(gitdir)
  } catch {
    return 'unreadable object store'
  }
  try {
    for (const sha of shas) if (!readable(store, sha)) return `object ${sha} is missing`
  } finally {
    if (!open) store.close()
  }
  return undefined
}

function readable(store: ObjectStore, sha: Sha, depth = 0): boolean {
  let object
  try {
    object = store.read(sha)
  } catch {
    return false
  }
  if (!object) return false
  if (object.type !== 'tag' || depth > 4) return true
  // An annotated tag must lead to a readable object too.
  const target = /^object ([0-9a-f]{40})$/m.exec(object.data.toString('latin1'))?.[1]
  return target !== undefined && readable(store, target, depth + 1)
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text)
  await rename(`${path}.tmp`, path)
}
