import type { Sha } from '../../../../shared/models/workspace'
import { mergeLines } from './line-merge'
import type { ConflictHunk } from './line-merge'
import { isTree } from '../objects/repo-objects'
import type { RepoObjects, TreeEntry } from '../objects/repo-objects'

/*
 * A three-way merge of trees with merge-ort's rules, minus rename detection: per path, a side
 * that did not change yields to the other; both changed → content merge for regular files,
 * conflict for everything else. A path can hold a file and a directory at once in the three
 * inputs (one side turned a file into a directory), so each name is merged as a file part and
 * a directory part, and only a result that still has both is a file/directory conflict.
 */

/** What kind of conflict a path has. */
export type ConflictKind = 'content' | 'modify-delete' | 'add-add' | 'mode' | 'binary' | 'file-directory'

/** A path a merge could not resolve. `path` is UTF-8 text (raw bytes that are not UTF-8 are replaced). */
export interface PathConflict {
  path: string
  kind: ConflictKind
  hunks?: ConflictHunk[]
}

/** The merged tree (undefined when empty) and the paths that conflicted. */
export interface TreeMergeResult {
  tree: Sha | undefined
  conflicts: PathConflict[]
}

interface Entry {
  mode: string
  sha: Sha
}

type Slot = Entry | undefined

/** Merges `theirs` into `ours` relative to `base` (any may be undefined for "no tree"). Writes nothing to disk. */
export async function mergeTrees(
  store: RepoObjects,
  base: Sha | undefined,
  ours: Sha | undefined,
  theirs: Sha | undefined,
): Promise<TreeMergeResult> {
  const conflicts: PathConflict[] = []
  const tree = await mergeTree(store, base, ours, theirs, '', conflicts)
  return { tree, conflicts }
}

async function mergeTree(
  store: RepoObjects,
  base: Sha | undefined,
  ours: Sha | undefined,
  theirs: Sha | undefined,
  prefix: string,
  conflicts: PathConflict[],
): Promise<Sha | undefined> {
  if (ours === theirs || base === theirs) return ours
  if (base === ours) return theirs
  const [b, o, t] = await Promise.all([entriesOf(store, base), entriesOf(store, ours), entriesOf(store, theirs)])
  const names = new Set([...b.keys(), ...o.keys(), ...t.keys()])
  const result: TreeEntry[] = []
  for (const name of names) {
    const path = prefix + name
    const bs = b.get(name) ?? {}
    const os = o.get(name) ?? {}
    const ts = t.get(name) ?? {}
    const dir =
      bs.dir || os.dir || ts.dir
        ? await mergeTree(store, bs.dir?.sha, os.dir?.sha, ts.dir?.sha, `${path}/`, conflicts)
        : undefined
    const file =
      bs.file || os.file || ts.file ? await mergeFile(store, bs.file, os.file, ts.file, path, conflicts) : undefined
    if (dir !== undefined && file !== undefined) {
      conflicts.push({ path: display(path), kind: 'file-directory' })
      continue
    }
    if (dir !== undefined) result.push({ mode: '40000', name, sha: dir })
    else if (file !== undefined) result.push({ mode: file.mode, name, sha: file.sha })
  }
  return result.length === 0 ? undefined : store.putTree(result)
}

async function entriesOf(
  store: RepoObjects,
  sha: Sha | undefined,
): Promise<Map<string, { file?: Entry; dir?: Entry }>> {
  const map = new Map<string, { file?: Entry; dir?: Entry }>()
  if (sha === undefined) return map
  for (const e of await store.readTree(sha)) {
    const slot = map.get(e.name) ?? {}
    if (isTree(e.mode)) slot.dir = { mode: e.mode, sha: e.sha }
    else slot.file = { mode: e.mode, sha: e.sha }
    map.set(e.name, slot)
  }
  return map
}

function same(a: Slot, b: Slot): boolean {
  return a === b || (a !== undefined && b !== undefined && a.mode === b.mode && a.sha === b.sha)
}

// S_IFMT of a tree mode: regular file, symlink or submodule.
function typeOf(mode: string): string {
  return mode === '120000' ? 'symlink' : mode === '160000' ? 'gitlink' : 'file'
}

async function mergeFile(
  store: RepoObjects,
  b: Slot,
  o: Slot,
  t: Slot,
  path: string,
  conflicts: PathConflict[],
): Promise<Slot> {
  if (same(o, t) || same(b, t)) return o
  if (same(b, o)) return t
  if (o === undefined || t === undefined) {
    conflicts.push({ path: display(path), kind: 'modify-delete' })
    return o ?? t
  }
  const added = b === undefined
  if (typeOf(o.mode) !== typeOf(t.mode)) {
    conflicts.push({ path: display(path), kind: added ? 'add-add' : 'mode' })
    return o
  }
  // merge-ort's mode rule: take theirs unless only ours changed it; both changed differently → conflict.
  const baseMode = b?.mode
  let mode = t.mode
  let modeClean = true
  if (!(o.mode === t.mode || o.mode === baseMode)) {
    mode = o.mode
    modeClean = t.mode === baseMode
  }
  let sha: Sha
  let contentConflict: PathConflict | undefined
  if (o.sha === t.sha || o.sha === b?.sha) sha = t.sha
  else if (t.sha === b?.sha) sha = o.sha
  else if (typeOf(o.mode) !== 'file') {
    sha = o.sha
    contentConflict = { path: display(path), kind: added ? 'add-add' : 'content' }
  } else {
    const [baseData, ourData, theirData] = await Promise.all([
      b ? store.read(b.sha, 'blob') : Buffer.alloc(0),
      store.read(o.sha, 'blob'),
      store.read(t.sha, 'blob'),
    ])
    if (isBinary(baseData) || isBinary(ourData) || isBinary(theirData)) {
      sha = o.sha
      contentConflict = { path: display(path), kind: 'binary' }
    } else {
      const merged = mergeLines(baseData, ourData, theirData)
      if (merged.clean) sha = store.put('blob', merged.merged)
      else {
        sha = o.sha
        contentConflict = { path: display(path), kind: added ? 'add-add' : 'content', hunks: merged.hunks }
      }
    }
  }
  if (contentConflict) conflicts.push(contentConflict)
  else if (!modeClean) conflicts.push({ path: display(path), kind: 'mode' })
  return { mode, sha }
}

/** git's binary test (buffer_is_binary): a NUL byte in the first 8000 bytes. */
export function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0)
}

function display(path: string): string {
  return Buffer.from(path, 'latin1').toString('utf8')
}
