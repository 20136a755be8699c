import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReadObject } from './objects/git-object'
import { ObjectStore } from './objects/object-store'

const SHA_RE = /^[0-9a-f]{40}$/

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
  // value: a SHA, or `ref: <target>` for symbolic refs; `known` marks SHAs already peeled by packed-refs.
  const raw = new Map<string, string>()
  const known = new Set<string>()
  readPackedRefs(gitdir, raw, known)
  readLooseRefs(join(gitdir, 'refs'), 'refs', raw, known)
  const head = readText(join(gitdir, 'HEAD'))
  if (head !== undefined) {
    raw.set('HEAD', head)
    known.add('HEAD')
  }

  const peeled = new Map<string, string | undefined>()
  const refs = new Map<string, string>()
  for (const name of raw.keys()) {
    const sha = resolveSymbolic(raw, name)
    if (sha === undefined) continue
    const commit = known.has(name) ? sha : peelCached(sha, peeled, readObject)
    if (commit !== undefined) refs.set(name, commit)
  }
  return refs
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return undefined
  }
}

function readPackedRefs(gitdir: string, raw: Map<string, string>, known: Set<string>): void {
  const text = readText(join(gitdir, 'packed-refs'))
  if (text === undefined) return
  // With "fully-peeled", a ref without a `^` line is known not to be an annotated tag.
  const fullyPeeled = /^# pack-refs with:.*\bfully-peeled\b/.test(text)
  let last: string | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.length < 41) continue
    if (line.startsWith('^')) {
      const peeled = line.slice(1, 41)
      if (last !== undefined && SHA_RE.test(peeled)) {
        raw.set(last, peeled)
        known.add(last)
      }
      continue
    }
    const sha = line.slice(0, 40)
    const name = line.slice(41).trim()
    if (!SHA_RE.test(sha)) continue
    raw.set(name, sha)
    if (fullyPeeled || !name.startsWith('refs/tags/')) known.add(name)
    last = name
  }
}

function readLooseRefs(dir: string, prefix: string, raw: Map<string, string>, known: Set<string>): void {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const name = `${prefix}/${entry.name}`
    if (entry.isDirectory()) readLooseRefs(join(dir, entry.name), name, raw, known)
    else if (entry.isFile() && !entry.name.endsWith('.lock')) {
      const value = readText(join(dir, entry.name))
      if (value === undefined || (!SHA_RE.test(value) && !value.startsWith('ref: '))) continue
      raw.set(name, value)
      // Only tags can name tag objects in practice; others are checked when the commit walk reads them.
      if (name.startsWith('refs/tags/')) known.delete(name)
      else known.add(name)
    }
  }
}

function resolveSymbolic(raw: Map<string, string>, name: string): string | undefined {
  let value = raw.get(name)
  for (let depth = 0; value !== undefined && value.startsWith('ref: ') && depth < 8; depth++) {
    value = raw.get(value.slice(5).trim())
  }
  return value !== undefined && SHA_RE.test(value) ? value : undefined
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
