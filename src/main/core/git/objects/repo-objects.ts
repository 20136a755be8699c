import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import git from 'isomorphic-git'
import type { FsClient } from 'isomorphic-git'
import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import type { ObjectStore } from './object-store'
import { sharedObjectStore } from './shared-object-store'

/** A clone as isomorphic-git writes to it: its fs, the git directory and one long-lived cache (also the key of its shared pack reader). */
export interface RepoAccess {
  fs: FsClient
  gitdir: string
  /** isomorphic-git's cache object: pass the same one every time (it keeps pack indexes parsed and pack readers open). */
  cache: object
}

/** One entry of a tree; `name` is the raw bytes as a latin1 string so non-UTF-8 names survive. */
export interface TreeEntry {
  mode: string
  name: string
  sha: Sha
}

/** The parts of a commit a pick needs, with author and message kept as raw bytes. */
export interface RawCommit {
  tree: Sha
  parents: Sha[]
  /** The author header's value, e.g. `Name <mail> 1700000000 +0100`, exactly as stored. */
  author: Buffer
  message: Buffer
}

type ObjectType = 'blob' | 'tree' | 'commit'

/**
 * A repository's objects as diffs, patch-ids and picks use them: typed reads through the clone's pack reader
 * (shared per `repo.cache`), and objects made during a merge held in memory until written.
 */
export class RepoObjects {
  private readonly pending = new Map<Sha, { type: ObjectType; content: Buffer }>()
  private readonly trees = new Map<Sha, TreeEntry[]>()
  private readonly packs: ObjectStore

  constructor(readonly repo: RepoAccess) {
    this.packs = sharedObjectStore(repo.gitdir, repo.cache)
  }

  /** The raw content of an object of the expected type. */
  read(sha: Sha, type: ObjectType): Promise<Buffer> {
    return new Promise((resolve) => resolve(this.readNow(sha, type)))
  }

  /** Like `read`, synchronously: the pack reader never waits. */
  readNow(sha: Sha, type: ObjectType): Buffer {
    const held = this.pending.get(sha)
    if (held) return held.content
    const found = this.packs.read(sha)
    if (!found)
      throw new AppError('sha-not-in-clone', `Object ${sha} is not in the clone; fetch and try again.`, { sha })
    if (found.type !== type)
      throw new AppError('invalid-input', `Object ${sha} is a ${found.type}, not a ${type}.`, { sha })
    return found.data
  }

  /** The entries of a tree, in git's order. */
  async readTree(sha: Sha): Promise<TreeEntry[]> {
    const known = this.trees.get(sha)
    if (known) return known
    const data = await this.read(sha, 'tree')
    const entries: TreeEntry[] = []
    let pos = 0
    while (pos < data.length) {
      const space = data.indexOf(32, pos)
      const nul = data.indexOf(0, space)
      const mode = data.toString('latin1', pos, space)
      entries.push({
        mode: mode === '040000' ? '40000' : mode,
        name: data.toString('latin1', space + 1, nul),
        sha: data.toString('hex', nul + 1, nul + 21),
      })
      pos = nul + 21
    }
    this.trees.set(sha, entries)
    return entries
  }

  /** A commit's tree, parents, raw author and raw message. */
  async readCommit(sha: Sha): Promise<RawCommit> {
    const data = await this.read(sha, 'commit')
    const headerEnd = data.indexOf('\n\n')
    const head = data.toString('latin1', 0, headerEnd === -1 ? data.length : headerEnd)
    let tree = ''
    const parents: Sha[] = []
    let author = Buffer.alloc(0)
    for (const line of head.split('\n')) {
      if (line.startsWith('tree ')) tree = line.slice(5)
      else if (line.startsWith('parent ')) parents.push(line.slice(7))
      else if (line.startsWith('author ')) author = Buffer.from(line.slice(7), 'latin1')
    }
    const message = headerEnd === -1 ? Buffer.alloc(0) : data.subarray(headerEnd + 2)
    return { tree, parents, author, message }
  }

  /** Keeps a new object in memory and returns its sha (what git would name it). */
  put(type: ObjectType, content: Buffer): Sha {
    const sha = createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex')
    if (!this.pending.has(sha)) this.pending.set(sha, { type, content })
    return sha
  }

  /** Keeps a new tree (entries in any order) in memory and returns its sha. */
  putTree(entries: TreeEntry[]): Sha {
    const sorted = [...entries].sort(compareEntries)
    const parts: Buffer[] = []
    for (const e of sorted) parts.push(Buffer.from(`${e.mode} ${e.name}\0`, 'latin1'), Buffer.from(e.sha, 'hex'))
    const sha = this.put('tree', Buffer.concat(parts))
    this.trees.set(sha, sorted)
    return sha
  }

  /** Objects made in memory and not yet written, in creation order (blobs and trees before commits). */
  held(): { sha: Sha; type: ObjectType; content: Buffer }[] {
    return [...this.pending].map(([sha, o]) => ({ sha, ...o }))
  }

  /** Writes every held object into the repository (loose objects, through isomorphic-git). */
  async writeHeld(): Promise<void> {
    for (const [sha, o] of this.pending) {
      // Deflated by node's zlib: isomorphic-git's own deflate (pako) is several times slower.
      const wrapped = Buffer.concat([Buffer.from(`${o.type} ${o.content.length}\0`), o.content])
      await git.writeObject({
        fs: this.repo.fs,
        gitdir: this.repo.gitdir,
        type: o.type,
        object: deflateSync(wrapped),
        format: 'deflated',
        oid: sha,
      })
    }
    this.pending.clear()
  }
}

/** Whether a tree entry is a directory. */
export function isTree(mode: string): boolean {
  return mode === '40000'
}

// git sorts tree entries by name, comparing a directory as if its name ended in "/".
function compareEntries(a: TreeEntry, b: TreeEntry): number {
  const ka = isTree(a.mode) ? `${a.name}/` : a.name
  const kb = isTree(b.mode) ? `${b.name}/` : b.name
  return ka < kb ? -1 : ka > kb ? 1 : 0
}
