import type { ReadObject } from './objects/git-object'
import { ObjectStore } from './objects/object-store'
import { readStoredRefs, type StoredRefs } from './ref-store'

/**
 * Every ref of a clone (full refname → SHA): HEAD, branches, remote-tracking refs, tags and any
 * other `refs/…`, with annotated tags peeled to the commit they name; symbolic refs resolved.
 * Symbolic refs that dangle are left out, and so are loose tags naming a tree or a blob. Objects
 * are read only to peel tags packed-refs has not peeled, so a ref naming a non-commit may remain
 * here (a branch, or a lightweight tag in a fully-peeled packed-refs); the commit index drops those.
 */
export function readRefs(gitdir: string, readObject?: ReadObject): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    const own = readObject ? undefined : new ObjectStore(gitdir)
    try {
      resolve(collectRefs(gitdir, readObject ?? ((sha) => own?.read(sha))))
    } finally {
      own?.close()
    }
  })
}

/** The synchronous core of `readRefs`, for callers that already hold an object reader. */
export function collectRefs(gitdir: string, readObject: ReadObject): Map<string, string> {
  const stored = readStoredRefs(gitdir)
  const peeled = new Map<string, string | undefined>()
  const refs = new Map<string, string>()
  for (const name of [...stored.refs.keys(), ...stored.symrefs.keys()]) {
    const target = resolveSymbolic(stored, name)
    const sha = target === undefined ? undefined : stored.refs.get(target)
    if (target === undefined || sha === undefined) continue
    const commit = stored.peeled.get(target) ?? (settled(stored, target) ? sha : peelCached(sha, peeled, readObject))
    if (commit !== undefined) refs.set(name, commit)
  }
  return refs
}

// Only tags name tag objects in practice: other loose refs are checked when the commit walk reads them.
function settled(stored: StoredRefs, ref: string): boolean {
  return stored.notTags.has(ref) || !ref.startsWith('refs/tags/')
}

function resolveSymbolic(stored: StoredRefs, name: string): string | undefined {
  let current = name
  for (let depth = 0; depth < 8; depth++) {
    const next = stored.symrefs.get(current)
    if (next === undefined) return stored.refs.has(current) ? current : undefined
    current = next
  }
  return undefined
}

function peelCached(sha: string, cache: Map<string, string | undefined>, readObject: ReadObject): string | undefined {
  if (cache.has(sha)) return cache.get(sha)
  let current: string | undefined = sha
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    const object = readObject(current)
    if (!object) {
      // A missing object: keep the SHA so the caller can report it rather than silently drop the ref.
      break
    }
    if (object.type === 'commit') break
    if (object.type !== 'tag') {
      current = undefined
      break
    }
    const match = /^object ([0-9a-f]{40})$/m.exec(object.data.toString('latin1', 0, 200))
    current = match?.[1]
  }
  cache.set(sha, current)
  return current
}
