import * as fs from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import git from 'isomorphic-git'
import { AppError } from '../../../shared/errors'
import type { Identity } from '../../../shared/models/coordination'
import type { Sha } from '../../../shared/models/workspace'
import { readCloneRefs, writeLooseRef } from '../git/clone/refs'
import { mergeFileTrees } from './merge-records'
import {
  applyChanges,
  commitTime,
  readFileText,
  readFileTree,
  writeFileCommit,
  type FileTree,
  type ObjectPlace,
} from './record-tree'
import { parseRecords, recordTime, type FileChange, type Records } from './records'

/** The coordination repository as the store sees it (the clones' `fetchRef` / `pushRef` of one ref). */
export interface StoreRemote {
  /** Brings the remote ref and its objects into the local clone, moving the local ref; its SHA, or undefined. */
  fetch(): Promise<Sha | undefined>
  /** Pushes `sha` with a lease on `expected`; AppError `push-rejected` when the remote moved. Moves no local ref. */
  push(sha: Sha, expected: Sha | undefined): Promise<void>
}

/** What a record store is built from. */
export interface RecordStoreOptions {
  gitdir: string
  /** The isomorphic-git cache of the gitdir (asked each time: the clones replace it with the clone). */
  cache: () => object
  ref: string
  /** The coordination repository; without one the store is local (a bare repository of its own, never pushed). */
  remote?: StoreRemote
  clock: () => Date
  identity: Identity
  /** How many pushes a write tries before giving up (each refused one is followed by a fetch and a merge). Default 8. */
  attempts?: number
}

/** An edit of the records: the file changes to make, computed from the records it starts from. */
export type RecordEdit = (records: Records) => FileChange[]

/**
 * The coordination records on one ref, one JSON file per record, written with isomorphic-git's object API
 * (no worktree). Reads come from the local copy of the ref (the last fetch, or the last successful write). A shared
 * write fetches, commits, pushes with a lease and, when someone pushed meanwhile, fetches again and merges
 * (`mergeFileTrees`), a bounded number of times; when it fails nothing changed locally or remotely, and it says so
 * ("not shared: …; nothing changed"). Nothing is ever queued to be sent later.
 */
export class RecordStore {
  private queue: Promise<unknown> = Promise.resolve()
  private cached: { head: Sha | undefined; records: Records } | undefined

  constructor(private readonly options: RecordStoreOptions) {}

  /** Whether writes go to a coordination repository. */
  get shared(): boolean {
    return this.options.remote !== undefined
  }

  /** The local copy of the ref: what the last fetch or write saw. */
  async head(): Promise<Sha | undefined> {
    return (await readCloneRefs(this.options.gitdir)).refs.get(this.options.ref)
  }

  /** The records as of the local copy of the ref (no network). */
  async read(): Promise<Records> {
    return this.recordsAt(await this.head())
  }

  /** Fetches the ref (shared mode; a no-op locally) and returns the records it brought. */
  async fetch(): Promise<Records> {
    return this.serially(async () => {
      const remote = this.options.remote
      return this.recordsAt(remote ? await remote.fetch() : await this.head())
    })
  }

  /** Applies an edit and shares it; resolves with the records after it. Throws AppError (nothing changed) on failure. */
  async write(message: string, edit: RecordEdit): Promise<Records> {
    return this.serially(() =>
      this.options.remote ? this.writeShared(this.options.remote, message, edit) : this.writeLocal(message, edit),
    )
  }

  private async writeShared(remote: StoreRemote, message: string, edit: RecordEdit): Promise<Records> {
    const attempts = this.options.attempts ?? 8
    let expected = await notShared(() => remote.fetch(), attempts)
    const records = await this.recordsAt(expected)
    const changes = edit(records)
    if (changes.length === 0) return records
    const now = this.options.clock()
    let base: FileTree = await readFileTree(this.place(), expected)
    let files = await applyChanges(this.place(), base, changes)
    let commit = await this.commit(files, expected === undefined ? [] : [expected], message, now)
    for (let attempt = 1; ; attempt++) {
      try {
        await notShared(() => remote.push(commit, expected), attempts)
        await writeLooseRef(this.options.gitdir, this.options.ref, commit)
        return await this.recordsAt(commit)
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'push-rejected' || attempt >= attempts) throw error
      }
      // Someone pushed meanwhile: merge their records with ours and try again on top of theirs. A random pause
      // first, growing with each try, so two writers that keep meeting fall out of step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150 * attempt))
      const theirs = await notShared(() => remote.fetch(), attempts)
      const theirFiles = await readFileTree(this.place(), theirs)
      const ours = commit
      files = await mergeFileTrees(base, files, theirFiles, async (side, blob) => {
        if (blob !== undefined) return recordTime(await readFileText(this.place(), blob))
        const at = side === 'ours' ? ours : theirs
        return at === undefined ? 0 : commitTime(this.place(), at)
      })
      base = theirFiles
      commit = await this.commit(files, theirs === undefined ? [ours] : [theirs, ours], `Merge: ${message}`, now)
      expected = theirs
    }
  }

  private async writeLocal(message: string, edit: RecordEdit): Promise<Records> {
    await ensureRepository(this.options.gitdir)
    for (let attempt = 1; attempt <= 20; attempt++) {
      const head = await this.head()
      const records = await this.recordsAt(head)
      const changes = edit(records)
      if (changes.length === 0) return records
      const files = await applyChanges(this.place(), await readFileTree(this.place(), head), changes)
      const commit = await this.commit(files, head === undefined ? [] : [head], message, this.options.clock())
      // Another Trainyard process on this machine may write at the same moment: move the ref only from `head`.
      if (await swapRef(this.options.gitdir, this.options.ref, head, commit)) return this.recordsAt(commit)
    }
    throw new AppError('deploy-conflict', 'The local coordination records kept changing; nothing changed. Try again.')
  }

  private commit(files: FileTree, parents: Sha[], message: string, at: Date): Promise<Sha> {
    return writeFileCommit(this.place(), files, parents, message, this.options.identity, at)
  }

  private async recordsAt(head: Sha | undefined): Promise<Records> {
    if (this.cached && this.cached.head === head) return this.cached.records
    const files = await readFileTree(this.place(), head)
    const texts = new Map<string, string>()
    for (const [path, blob] of files) texts.set(path, await readFileText(this.place(), blob))
    const records = parseRecords(texts)
    this.cached = { head, records }
    return records
  }

  private place(): ObjectPlace {
    return { gitdir: this.options.gitdir, cache: this.options.cache() }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work)
    this.queue = run.catch(() => undefined)
    return run
  }
}

/** Runs a fetch or push of a write, turning its failure into "not shared: …; nothing changed". */
async function notShared<T>(step: () => Promise<T>, attempts: number): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    switch (error.code) {
      case 'endpoint-unreachable':
      case 'timeout':
        throw new AppError(error.code, 'not shared: the coordination repository is unreachable; nothing changed.')
      case 'push-rejected':
        // Kept as is for the retry loop; its last one says what happened.
        throw new AppError(
          'push-rejected',
          `not shared: the coordination repository kept moving (${attempts} tries); nothing changed. Try again.`,
          error.details,
        )
      default:
        throw new AppError(
          error.code,
          `not shared: ${error.message.replace(/\.$/, '')}; nothing changed.`,
          error.details,
        )
    }
  }
}

/** Makes a bare repository for local records when there is none. */
async function ensureRepository(gitdir: string): Promise<void> {
  if (
    await stat(join(gitdir, 'HEAD')).then(
      () => true,
      () => false,
    )
  )
    return
  await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' })
}

/** Moves a loose ref from `expected` to `next` under git's lock-file protocol; false when it was not at `expected`. */
async function swapRef(gitdir: string, ref: string, expected: Sha | undefined, next: Sha): Promise<boolean> {
  const path = join(gitdir, ref)
  const lock = `${path}.lock`
  await mkdir(dirname(path), { recursive: true })
  // A lock left by a process that died mid-write would block every later write.
  const left = await stat(lock).catch(() => undefined)
  if (left && Date.now() - left.mtimeMs > 30_000) await rm(lock, { force: true })
  const handle = await open(lock, 'wx').catch(() => undefined)
  if (!handle) return false
  let moved = false
  try {
    const current = (await readFile(path, 'utf8').catch(() => '')).trim() || undefined
    if (current !== expected) return false
    await handle.writeFile(`${next}\n`)
    await handle.close()
    await rename(lock, path)
    moved = true
    return true
  } finally {
    if (!moved) {
      await handle.close().catch(() => undefined)
      await rm(lock, { force: true })
    }
  }
}
