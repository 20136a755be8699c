import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Sha } from '../../../../shared/models/workspace'

/** The refs of a clone: full ref name → the SHA it stores (for an annotated tag, the tag object's SHA). */
export interface CloneRefs {
  refs: Map<string, Sha>
  /** Symbolic refs, e.g. `HEAD` → `refs/remotes/origin/main`. */
  symrefs: Map<string, string>
  /** Annotated tags from `packed-refs` peel lines: tag ref → commit SHA (loose tags are not peeled here). */
  peeled: Map<string, Sha>
}

/** How one ref changed in a fetch: `from` absent = created, `to` absent = deleted. */
export interface RefMove {
  ref: string
  from?: Sha
  to?: Sha
}

/** The refs a fetch owns: remote branches and tags (local branches under `refs/heads/` are the hotfix flow's). */
export const FETCHED_PREFIXES = ['refs/remotes/origin/', 'refs/tags/'] as const

const SHA = /^[0-9a-f]{40}$/

/**
 * Reads every ref of a gitdir by parsing `packed-refs` and the loose files under `refs/` directly:
 * isomorphic-git's listRefs is quadratic on packed refs and resolveRef re-parses them on every call.
 */
export async function readCloneRefs(gitdir: string): Promise<CloneRefs> {
  const refs = new Map<string, Sha>()
  const symrefs = new Map<string, string>()
  const peeled = new Map<string, Sha>()
  const packed = await readFile(join(gitdir, 'packed-refs'), 'utf8').catch(() => '')
  let last: string | undefined
  for (const line of packed.split('\n')) {
    if (line.startsWith('^') && last !== undefined) peeled.set(last, line.slice(1, 41))
    else if (SHA.test(line.slice(0, 40)) && line[40] === ' ') {
      last = line.slice(41).trim()
      refs.set(last, line.slice(0, 40))
    }
  }
  await walkLoose(gitdir, 'refs', refs, symrefs)
  const head = await readFile(join(gitdir, 'HEAD'), 'utf8').catch(() => '')
  if (head.startsWith('ref: ')) symrefs.set('HEAD', head.slice(5).trim())
  else if (SHA.test(head.trim())) refs.set('HEAD', head.trim())
  return { refs, symrefs, peeled }
}

async function walkLoose(
  gitdir: string,
  dir: string,
  refs: Map<string, Sha>,
  symrefs: Map<string, string>,
): Promise<void> {
  const entries = await readdir(join(gitdir, dir), { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const name = `${dir}/${entry.name}`
    if (entry.isDirectory()) await walkLoose(gitdir, name, refs, symrefs)
    else if (entry.isFile() && !entry.name.endsWith('.lock')) {
      const text = (await readFile(join(gitdir, name), 'utf8')).trim()
      if (text.startsWith('ref: ')) symrefs.set(name, text.slice(5).trim())
      else if (SHA.test(text)) refs.set(name, text)
    }
  }
}

/** The refs under the fetched prefixes only, as a plain record (what the fetch journal stores). */
export function fetchedRefs(refs: Map<string, Sha>): Record<string, Sha> {
  const out: Record<string, Sha> = {}
  for (const [ref, sha] of refs) if (FETCHED_PREFIXES.some((p) => ref.startsWith(p))) out[ref] = sha
  return out
}

/** Which fetched refs moved between two snapshots, sorted by ref name. */
export function movedRefs(before: Record<string, Sha>, after: Record<string, Sha>): RefMove[] {
  const moves: RefMove[] = []
  for (const ref of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[ref]
    const to = after[ref]
    if (from === to) continue
    moves.push({ ref, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) })
  }
  return moves.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
}

/** Writes one loose ref atomically (lock file, then rename), as git does. */
export async function writeLooseRef(gitdir: string, ref: string, sha: Sha): Promise<void> {
  if (!SHA.test(sha)) throw new Error(`not a full sha: ${sha}`)
  const path = join(gitdir, ref)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(`${path}.lock`, `${sha}\n`)
  await rename(`${path}.lock`, path)
}

/**
 * Puts the fetched refs back as they were in `snapshot`: refs created since are removed, moved or
 * deleted ones rewritten. Used to undo an interrupted fetch, whose ref updates isomorphic-git writes
 * before the pack has arrived.
 */
export async function restoreFetchedRefs(gitdir: string, snapshot: Record<string, Sha>): Promise<void> {
  const now = fetchedRefs((await readCloneRefs(gitdir)).refs)
  for (const move of movedRefs(snapshot, now)) {
    if (move.from === undefined) await removeRef(gitdir, move.ref)
    else await writeLooseRef(gitdir, move.ref, move.from)
  }
}

async function removeRef(gitdir: string, ref: string): Promise<void> {
  await rm(join(gitdir, ref), { force: true })
  const packedPath = join(gitdir, 'packed-refs')
  const packed = await readFile(packedPath, 'utf8').catch(() => undefined)
  if (packed === undefined) return
  const lines = packed.split('\n')
  const kept: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.slice(41) === ref) {
      if (lines[i + 1]?.startsWith('^')) i++
      continue
    }
    kept.push(line)
  }
  if (kept.length === lines.length) return
  await writeFile(`${packedPath}.lock`, kept.join('\n'))
  await rename(`${packedPath}.lock`, packedPath)
}
