import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Sha } from '../../../../shared/models/workspace'
import { parseCommit } from '../commit-parse'
import { ObjectStore } from '../objects/object-store'

/**
 * A first clone (in the app) takes this many commits of the default branch first and answers from them while the
 * rest arrives; a repository with a shorter history is cloned whole at once.
 */
export const SHALLOW_FIRST_DEPTH = 1000

/** git's name for the list of commits a shallow clone holds without their parents. */
export const SHALLOW_FILE = 'shallow'

/**
 * The shallow boundary of a clone (`<gitdir>/shallow`, one SHA a line, as git writes it): empty for a clone
 * whose history is complete. Its presence is what "history still loading" means.
 */
export function readShallow(gitdir: string): Sha[] {
  let text: string
  try {
    text = readFileSync(join(gitdir, SHALLOW_FILE), 'utf8')
  } catch {
    return []
  }
  return text.split('\n').filter((line) => /^[0-9a-f]{40}$/.test(line))
}

/**
 * Replaces the shallow boundary atomically (a temp file renamed into place; an empty boundary removes the file),
 * so a process killed here leaves either the old boundary or the new one, both true of the objects present.
 */
export function writeShallow(gitdir: string, shas: Iterable<Sha>): void {
  const sorted = [...new Set(shas)].sort()
  const path = join(gitdir, SHALLOW_FILE)
  if (sorted.length === 0) {
    rmSync(path, { force: true })
    return
  }
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, sorted.map((sha) => `${sha}\n`).join(''))
  renameSync(temp, path)
}

/** The boundary commits that still lack a parent (after a deepen, those no tip reaches any more). */
export function stillCut(gitdir: string, boundary: readonly Sha[]): Sha[] {
  const store = new ObjectStore(gitdir)
  try {
    return boundary.filter((sha) => {
      const object = store.read(sha)
      if (!object || object.type !== 'commit') return false
      return parseCommit(sha, object.data).parents.some((parent) => !store.has(parent))
    })
  } finally {
    store.close()
  }
}
