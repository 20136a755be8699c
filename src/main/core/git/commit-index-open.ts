import { createHash } from 'node:crypto'
import { readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { replayJournal } from './clone/journal'
import { readShallow } from './clone/shallow'
import { HistoryCut } from './commit-index-cut'
import { buildColumns, type CommitColumns } from './commit-columns'
import { appendColumns } from './commit-columns-append'
import { CommitIndex } from './commit-index'
import { readIndexFile, writeIndexFile } from './commit-index-file'
import { walkNewCommits } from './commit-walk'
import { ObjectStore } from './objects/object-store'
import { collectRefs } from './refs'

/** Where a clone's git directory is and where its commit index is cached (the app's cache dir, never `.git`). */
export interface CommitIndexLocation {
  gitdir: string
  cacheFile: string
}

/** How `openCommitIndex` got its answer, for logs and tests. */
export type IndexSource = 'loaded' | 'updated' | 'built'

/**
 * Opens a clone's commit index: loads the cache file, walks only commits that are new since it was
 * written (after a fetch), or builds it from scratch when the file is missing, corrupt, of another
 * format version or another clone. The cache file is rewritten whenever anything was added.
 */
export async function openCommitIndex(opts: CommitIndexLocation): Promise<CommitIndex> {
  return (await openCommitIndexWithSource(opts)).index
}

/** What `openCommitIndexWithSource` did: how the index was obtained and how many commit objects it read. */
export interface OpenedIndex {
  index: CommitIndex
  source: IndexSource
  commitsRead: number
}

/**
 * Like `openCommitIndex`, and also says whether the index was loaded, updated or built. A fetch whose process
 * died while it rewrote the refs left a journal: it is replayed first, so the index never reads half-written refs.
 */
export async function openCommitIndexWithSource(opts: CommitIndexLocation): Promise<OpenedIndex> {
  await replayJournal(opts.gitdir)
  return openSync(opts)
}

function openSync({ gitdir, cacheFile }: CommitIndexLocation): OpenedIndex {
  const key = cloneKey(gitdir)
  // Opened on the first object read only: with refs packed and peeled and no new commit, none is needed, and
  // opening reads every pack's whole .idx.
  let store: ObjectStore | undefined
  const read = (sha: string) => (store ??= new ObjectStore(gitdir)).read(sha)
  try {
    const refs = collectRefs(gitdir, read)
    const cached = readIndexFile(cacheFile, key)
    const old = cached ? new CommitIndex(cached, refs) : undefined
    const fresh = walkNewCommits(refs.values(), (sha) => old?.has(sha) ?? false, read)
    if (cached && fresh.length === 0)
      return { index: indexOf(cached, onlyIndexed(refs, cached), gitdir), source: 'loaded', commitsRead: 0 }
    // After a fetch only the new commits are read and laid in among the old ones; nothing old is recomputed.
    const columns = cached ? appendColumns(cached, fresh) : buildColumns(fresh)
    try {
      writeIndexFile(cacheFile, key, columns)
    } catch {
      // The cache only saves time: an unwritable cache dir must not stop the cockpit from answering.
    }
    return {
      index: indexOf(columns, onlyIndexed(refs, columns), gitdir),
      source: old ? 'updated' : 'built',
      commitsRead: fresh.length,
    }
  } finally {
    store?.close()
  }
}

/**
 * What names a clone in the files cached for it: its real path plus its shallow boundary. Deepening a shallow
 * clone adds parents to commits the index already holds, which no new tip would reveal, so it must invalidate them.
 */
export function cloneKey(gitdir: string): string {
  let real: string
  try {
    real = realpathSync(gitdir)
  } catch {
    throw new AppError('not-found', `There is no git repository at ${gitdir}.`, { gitdir })
  }
  let shallow = ''
  try {
    shallow = createHash('sha1')
      .update(readFileSync(join(real, 'shallow')))
      .digest('hex')
  } catch {
    // Not a shallow clone.
  }
  return shallow ? `${real}\nshallow ${shallow}` : real
}

// The index, with its shallow boundary when the clone's history is still loading.
function indexOf(columns: CommitColumns, refs: Map<string, string>, gitdir: string): CommitIndex {
  const shallow = readShallow(gitdir)
  if (shallow.length === 0) return new CommitIndex(columns, refs)
  const probe = new CommitIndex(columns, new Map())
  const boundary = shallow.map((sha) => probe.positionOf(sha)).filter((pos) => pos >= 0)
  return new CommitIndex(columns, refs, new HistoryCut(columns, boundary))
}

function onlyIndexed(refs: Map<string, string>, columns: CommitColumns): Map<string, string> {
  const probe = new CommitIndex(columns, new Map())
  return new Map([...refs].filter(([, sha]) => probe.has(sha)))
}
