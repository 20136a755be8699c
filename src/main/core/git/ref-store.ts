import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Sha } from '../../../shared/models/workspace'
import { parsePackedRefs } from './packed-refs'

/**
 * The refs of a gitdir as stored: `packed-refs` overlaid by the loose files under `refs/` (a loose file wins,
 * as in git), plus HEAD. Nothing is peeled or resolved here; `collectRefs` and the clone code build on it.
 */
export interface StoredRefs {
  /** Direct refs: full name → the SHA stored (for an annotated tag, the tag object's SHA). */
  refs: Map<string, Sha>
  /** Symbolic refs: name → target ref, e.g. `refs/remotes/origin/HEAD` → `refs/remotes/origin/main`. */
  symrefs: Map<string, string>
  /** What `packed-refs` says annotated tags peel to (only for refs whose packed value is the one in force). */
  peeled: Map<string, Sha>
  /** Refs whose value `packed-refs` vouches is not a tag object (so it needs no peeling). */
  notTags: Set<string>
  /** The refs in force that come from loose files (the rest come from `packed-refs`). */
  loose: Set<string>
}

const SHA = /^[0-9a-f]{40}$/

/**
 * Reads every ref of a gitdir by parsing `packed-refs` and walking `refs/` directly: isomorphic-git's listRefs
 * is quadratic on packed refs and its resolveRef re-parses them on every call.
 */
export function readStoredRefs(gitdir: string): StoredRefs {
  const stored: StoredRefs = {
    refs: new Map(),
    symrefs: new Map(),
    peeled: new Map(),
    notTags: new Set(),
    loose: new Set(),
  }
  const text = readText(join(gitdir, 'packed-refs'))
  if (text !== undefined) {
    const packed = parsePackedRefs(text)
    for (const { ref, sha, peeled } of packed.refs.values()) {
      stored.refs.set(ref, sha)
      if (peeled !== undefined) stored.peeled.set(ref, peeled)
      // Without `fully-peeled`, git's `peeled` trait still vouches for everything outside refs/tags/.
      else if (packed.fullyPeeled || !ref.startsWith('refs/tags/')) stored.notTags.add(ref)
    }
  }
  walkLoose(gitdir, 'refs', stored)
  const head = readText(join(gitdir, 'HEAD'))?.trim()
  if (head?.startsWith('ref: ')) stored.symrefs.set('HEAD', head.slice(5).trim())
  else if (head !== undefined && SHA.test(head)) stored.refs.set('HEAD', head)
  return stored
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function walkLoose(gitdir: string, dir: string, stored: StoredRefs): void {
  let entries
  try {
    entries = readdirSync(join(gitdir, dir), { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const name = `${dir}/${entry.name}`
    if (entry.isDirectory()) walkLoose(gitdir, name, stored)
    else if (entry.isFile() && !entry.name.endsWith('.lock')) {
      const value = readText(join(gitdir, name))?.trim()
      if (value === undefined) continue
      if (value.startsWith('ref: ')) {
        stored.refs.delete(name)
        stored.symrefs.set(name, value.slice(5).trim())
      } else if (SHA.test(value)) {
        stored.refs.set(name, value)
        stored.symrefs.delete(name)
      } else continue
      stored.loose.add(name)
      stored.peeled.delete(name)
      stored.notTags.delete(name)
    }
  }
}
