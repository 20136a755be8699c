import * as fs from 'node:fs'
import git from 'isomorphic-git'
import type { Identity } from '../../../shared/models/coordination'
import type { Sha } from '../../../shared/models/workspace'
import type { FileChange } from './records'

/** Record files of one commit: path (`locks/<id>.json`) → blob SHA. */
export type FileTree = Map<string, Sha>

/** Where the coordination objects live: a bare gitdir and its isomorphic-git cache. */
export interface ObjectPlace {
  gitdir: string
  cache: object
}

/** The record files of a commit (two levels: a folder per kind, a file per record); none for no commit. */
export async function readFileTree(place: ObjectPlace, commit: Sha | undefined): Promise<FileTree> {
  const files: FileTree = new Map()
  if (commit === undefined) return files
  const { commit: parsed } = await git.readCommit({ fs, ...place, oid: commit })
  const { tree } = await git.readTree({ fs, ...place, oid: parsed.tree })
  for (const folder of tree) {
    if (folder.type !== 'tree') continue
    const { tree: entries } = await git.readTree({ fs, ...place, oid: folder.oid })
    for (const entry of entries) if (entry.type === 'blob') files.set(`${folder.path}/${entry.path}`, entry.oid)
  }
  return files
}

/** The text of a record file. */
export async function readFileText(place: ObjectPlace, blob: Sha): Promise<string> {
  const { blob: bytes } = await git.readBlob({ fs, ...place, oid: blob })
  return Buffer.from(bytes).toString('utf8')
}

/** The tree after `changes`: each written file becomes a blob, a null content removes the path. */
export async function applyChanges(place: ObjectPlace, files: FileTree, changes: FileChange[]): Promise<FileTree> {
  const next = new Map(files)
  for (const change of changes) {
    if (change.content === null) next.delete(change.path)
    else next.set(change.path, await git.writeBlob({ fs, ...place, blob: Buffer.from(change.content, 'utf8') }))
  }
  return next
}

/** Writes a commit of `files` with the given parents, authored by `who` at `at`; returns its SHA. */
export async function writeFileCommit(
  place: ObjectPlace,
  files: FileTree,
  parents: Sha[],
  message: string,
  who: Identity,
  at: Date,
): Promise<Sha> {
  const folders = new Map<string, { mode: string; path: string; oid: string; type: 'blob' }[]>()
  for (const [path, oid] of files) {
    const [folder = '', name = ''] = path.split('/')
    const entries = folders.get(folder) ?? []
    entries.push({ mode: '100644', path: name, oid, type: 'blob' })
    folders.set(folder, entries)
  }
  const root = []
  for (const [folder, entries] of folders) {
    const oid = await git.writeTree({ fs, gitdir: place.gitdir, tree: entries })
    root.push({ mode: '040000', path: folder, oid, type: 'tree' as const })
  }
  const tree = await git.writeTree({ fs, gitdir: place.gitdir, tree: root })
  const signature = {
    name: who.name,
    email: who.email ?? `${who.name}@trainyard.invalid`,
    timestamp: Math.floor(at.getTime() / 1000),
    timezoneOffset: 0,
  }
  return git.writeCommit({
    fs,
    gitdir: place.gitdir,
    commit: { tree, parent: parents, author: signature, committer: signature, message: `${message}\n` },
  })
}

/** A commit's committer time in ms (what a deletion is dated by in a merge). */
export async function commitTime(place: ObjectPlace, commit: Sha): Promise<number> {
  const { commit: parsed } = await git.readCommit({ fs, ...place, oid: commit })
  return parsed.committer.timestamp * 1000
}
