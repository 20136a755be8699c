import type { Sha } from '../../../../shared/models/workspace'
import { isTree } from '../objects/repo-objects'
import type { RepoObjects, TreeEntry } from '../objects/repo-objects'

/** One changed path between two trees, in `git diff-tree -r --no-renames` order; absent side = undefined. */
export interface FileChange {
  /** Raw path bytes as a latin1 string. */
  path: string
  old?: { mode: string; sha: Sha }
  new?: { mode: string; sha: Sha }
}

/** The changed files from tree `a` to tree `b` (either may be undefined for "no tree"), recursively. */
export async function diffTrees(store: RepoObjects, a: Sha | undefined, b: Sha | undefined): Promise<FileChange[]> {
  const out: FileChange[] = []
  await walk(store, a, b, '', out)
  return out
}

function sortKey(e: TreeEntry): string {
  return isTree(e.mode) ? `${e.name}/` : e.name
}

async function walk(
  store: RepoObjects,
  a: Sha | undefined,
  b: Sha | undefined,
  prefix: string,
  out: FileChange[],
): Promise<void> {
  if (a === b) return
  const left = a === undefined ? [] : await store.readTree(a)
  const right = b === undefined ? [] : await store.readTree(b)
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    const l = left[i]
    const r = right[j]
    const kl = l ? sortKey(l) : undefined
    const kr = r ? sortKey(r) : undefined
    if (l && (kr === undefined || (kl as string) < kr)) {
      await side(store, l, prefix, 'old', out)
      i++
    } else if (r && (kl === undefined || (kr as string) < kl)) {
      await side(store, r, prefix, 'new', out)
      j++
    } else if (l && r) {
      if (isTree(l.mode)) await walk(store, l.sha, r.sha, `${prefix}${l.name}/`, out)
      else if (l.mode !== r.mode || l.sha !== r.sha)
        out.push({ path: prefix + l.name, old: { mode: l.mode, sha: l.sha }, new: { mode: r.mode, sha: r.sha } })
      i++
      j++
    }
  }
}

async function side(
  store: RepoObjects,
  e: TreeEntry,
  prefix: string,
  which: 'old' | 'new',
  out: FileChange[],
): Promise<void> {
  if (isTree(e.mode)) {
    await (which === 'old'
      ? walk(store, e.sha, undefined, `${prefix}${e.name}/`, out)
      : walk(store, undefined, e.sha, `${prefix}${e.name}/`, out))
    return
  }
  out.push({ path: prefix + e.name, [which]: { mode: e.mode, sha: e.sha } })
}
