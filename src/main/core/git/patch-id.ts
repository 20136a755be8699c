import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Sha } from '../../../shared/models/workspace'
import { diffTrees } from './diff/tree-diff'
import type { FileChange } from './diff/tree-diff'
import { patchLines } from './diff/unified'
import { ObjectStore } from './merge/object-store'
import type { RepoAccess } from './merge/object-store'

/*
 * Patch-ids under one pinned definition, so both sides of a comparison agree:
 *   git diff-tree -p --full-index --no-renames --histogram --no-indent-heuristic <parent> <commit> | git patch-id --stable
 * The patch text is produced in JS and hashed by a port of builtin/patch-id.c (git 2.39), quirks
 * included: the "diff" line after a binary file is not hashed, and a header-only file (mode
 * change, empty new file) is not flushed separately from the next one.
 */

/** The stable patch-id of a commit against its parent; undefined for merges and commits that change nothing. A root commit is diffed against the empty tree. */
export async function patchId(repo: RepoAccess, sha: Sha): Promise<string | undefined> {
  const store = new ObjectStore(repo)
  const changes = await commitChanges(store, sha)
  if (!changes || changes.length === 0) return undefined
  const lines: string[] = []
  for (const change of changes) lines.push(...(await patchLines(store, change)))
  return patchIdOfLines(lines)
}

/** A cheap id of which paths a commit changes and how (added/deleted/modified, mode changes): equal patch-ids imply equal header ids. */
export async function headerId(repo: RepoAccess, sha: Sha): Promise<string | undefined> {
  const changes = await commitChanges(new ObjectStore(repo), sha)
  if (!changes || changes.length === 0) return undefined
  const hash = createHash('sha1')
  for (const c of changes) {
    const how = !c.old
      ? `A ${c.new?.mode}`
      : !c.new
        ? `D ${c.old.mode}`
        : c.old.mode === c.new.mode
          ? 'M'
          : `M ${c.old.mode} ${c.new.mode}`
    hash.update(Buffer.from(`${how} ${c.path}\0`, 'latin1'))
  }
  return hash.digest('hex')
}

async function commitChanges(store: ObjectStore, sha: Sha): Promise<FileChange[] | undefined> {
  const commit = await store.readCommit(sha)
  if (commit.parents.length > 1) return undefined
  const parent = commit.parents[0]
  const base = parent === undefined ? undefined : (await store.readCommit(parent)).tree
  return diffTrees(store, base, commit.tree)
}

/** Patch-ids and header ids of commits, computed once; optionally kept in a JSON file between runs. */
export interface PatchIds {
  patchId(sha: Sha): Promise<string | undefined>
  headerId(sha: Sha): Promise<string | undefined>
  /** Writes the cache file (when one was given). Patch-ids never change, so entries never expire. */
  save(): void
}

/** A patch-id cache over one repository; `file` is a JSON file to load from and save to. */
export function createPatchIds(repo: RepoAccess, opts: { file?: string } = {}): PatchIds {
  const stored =
    opts.file && existsSync(opts.file)
      ? (JSON.parse(readFileSync(opts.file, 'utf8')) as {
          patch?: Record<string, string | null>
          header?: Record<string, string | null>
        })
      : {}
  const patch = new Map<Sha, string | null>(Object.entries(stored.patch ?? {}))
  const header = new Map<Sha, string | null>(Object.entries(stored.header ?? {}))
  const cached = async (
    map: Map<Sha, string | null>,
    sha: Sha,
    compute: () => Promise<string | undefined>,
  ): Promise<string | undefined> => {
    const known = map.get(sha)
    if (known !== undefined) return known ?? undefined
    const value = await compute()
    map.set(sha, value ?? null)
    return value
  }
  return {
    patchId: (sha) => cached(patch, sha, () => patchId(repo, sha)),
    headerId: (sha) => cached(header, sha, () => headerId(repo, sha)),
    save() {
      if (!opts.file) return
      writeFileSync(opts.file, JSON.stringify({ patch: Object.fromEntries(patch), header: Object.fromEntries(header) }))
    },
  }
}

/** `git patch-id --stable` over patch lines (latin1 strings, each ending in \n). */
export function patchIdOfLines(lines: string[]): string | undefined {
  const result = new Uint8Array(20)
  let hash = createHash('sha1')
  let patchLen = 0
  let before = -1
  let after = -1
  let binary = false
  let preOid = ''
  let postOid = ''
  const flush = (): void => {
    const digest = hash.digest()
    hash = createHash('sha1')
    let carry = 0
    for (let i = 0; i < 20; i++) {
      carry += (result[i] as number) + (digest[i] as number)
      result[i] = carry & 0xff
      carry >>= 8
    }
  }
  for (const line of lines) {
    if (line.startsWith('\\ ') && line.length > 12) continue
    if (patchLen === 0 && !line.startsWith('diff ')) continue
    if (before === -1) {
      if (line.startsWith('GIT binary patch') || line.startsWith('Binary files')) {
        binary = true
        before = 0
        hash.update(preOid, 'latin1')
        hash.update(postOid, 'latin1')
        flush()
        continue
      } else if (line.startsWith('index ')) {
        const dots = line.indexOf('..')
        if (dots !== -1) {
          const space = line.indexOf(' ', dots)
          preOid = line.slice(6, dots)
          postOid = line.slice(dots + 2, space === -1 ? line.length - 1 : space)
        }
        continue
      } else if (line.startsWith('--- ')) {
        before = after = 1
      } else if (!/^[A-Za-z]/.test(line)) break
    }
    if (binary) {
      if (line.startsWith('diff ')) {
        binary = false
        before = -1
      }
      continue
    }
    if (before === 0 && after === 0) {
      if (line.startsWith('@@ -')) {
        ;[before, after] = hunkCounts(line)
        continue
      }
      if (!line.startsWith('diff ')) break
      flush()
      before = after = -1
    }
    if (line[0] === '-' || line[0] === ' ') before--
    if (line[0] === '+' || line[0] === ' ') after--
    const stripped = line.replace(/[ \t\n\r]/g, '')
    patchLen += stripped.length
    hash.update(stripped, 'latin1')
  }
  flush()
  return patchLen === 0 ? undefined : Buffer.from(result).toString('hex')
}

// scan_hunk_header: "@@ -a[,b] +c[,d] @@" → [b, d], a missing count meaning 1.
function hunkCounts(line: string): [number, number] {
  const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))?/.exec(line)
  return [m?.[1] === undefined ? 1 : Number(m[1]), m?.[2] === undefined ? 1 : Number(m[2])]
}
