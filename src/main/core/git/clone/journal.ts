import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Sha } from '../../../../shared/models/workspace'
import { ObjectStore } from '../objects/object-store'
import { processAlive } from '../objects/temp-files'
import type { PackedRef } from '../packed-refs'
import { peelTag, setFetchedRefs, type FetchedRefs } from './refs'

/** File in a clone's gitdir holding the fetched refs as they were before a fetch that has not finished. */
export const JOURNAL_FILE = 'trainyard-fetch-journal.json'

interface JournalFile {
  format: 2
  /** The process that wrote it: a journal of a live process belongs to a fetch under way, not to a crash. */
  pid: number
  refs: [ref: string, sha: Sha, peeled?: Sha][]
}

// Journals this process holds for a fetch under way: never replayed by this process's own readers.
const held = new Set<string>()

/** Records the fetched refs before a fetch changes any, so a crash in between can be undone on the next open. */
export async function writeJournal(gitdir: string, refs: FetchedRefs): Promise<void> {
  const file: JournalFile = {
    format: 2,
    pid: process.pid,
    refs: [...refs.values()].map((r) => (r.peeled === undefined ? [r.ref, r.sha] : [r.ref, r.sha, r.peeled])),
  }
  held.add(resolve(gitdir))
  const path = join(gitdir, JOURNAL_FILE)
  await writeFile(`${path}.tmp`, JSON.stringify(file))
  await rename(`${path}.tmp`, path)
}

/** Removes the fetch journal (the fetch finished or was undone). */
export async function clearJournal(gitdir: string): Promise<void> {
  await rm(join(gitdir, JOURNAL_FILE), { force: true })
  held.delete(resolve(gitdir))
}

/** Leaves a journal on disk but gives it up, so that the next open replays it even in this process. */
export function releaseJournal(gitdir: string): void {
  held.delete(resolve(gitdir))
}

/**
 * Undoes the ref updates of a fetch that never finished because its process died: the refs go back to the
 * journal's values. A journal of a fetch still running (in this process or a live other one) is left alone.
 * Returns whether refs were restored. Called before a clone is read (commit index) and before it is fetched.
 */
export async function replayJournal(gitdir: string): Promise<boolean> {
  if (held.has(resolve(gitdir))) return false
  const text = await readFile(join(gitdir, JOURNAL_FILE), 'utf8').catch(() => undefined)
  if (text === undefined) return false
  let refs: FetchedRefs
  try {
    const parsed = JSON.parse(text) as unknown
    if (isJournal(parsed)) {
      if (parsed.pid !== process.pid && processAlive(parsed.pid)) return false
      refs = new Map(parsed.refs.map(([ref, sha, peeled]) => [ref, entry(ref, sha, peeled)]))
    } else refs = legacyJournal(gitdir, parsed as Record<string, Sha>)
  } catch {
    // An unreadable journal cannot be undone; the refs stay as the last complete step left them.
    await clearJournal(gitdir)
    return false
  }
  await setFetchedRefs(gitdir, refs)
  await clearJournal(gitdir)
  return true
}

function isJournal(value: unknown): value is JournalFile {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 2
}

function entry(ref: string, sha: Sha, peeled: Sha | undefined): PackedRef {
  return peeled === undefined ? { ref, sha } : { ref, sha, peeled }
}

// A journal of the isomorphic-git era (ref → SHA): its tags are peeled by reading them.
function legacyJournal(gitdir: string, record: Record<string, Sha>): FetchedRefs {
  const store = new ObjectStore(gitdir)
  try {
    const refs: FetchedRefs = new Map()
    for (const [ref, sha] of Object.entries(record)) {
      refs.set(ref, entry(ref, sha, ref.startsWith('refs/tags/') ? peelTag(store, sha) : undefined))
    }
    return refs
  } finally {
    store.close()
  }
}
