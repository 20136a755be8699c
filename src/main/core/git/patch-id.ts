import { createHash } from 'node:crypto'
import type { Sha } from '../../../shared/models/workspace'
import { diffTrees } from './diff/tree-diff'
import type { FileChange } from './diff/tree-diff'
import { LineClasses } from './diff/line-file'
import { emitPatch, type PatchSink } from './diff/unified'
import { RepoObjects } from './objects/repo-objects'
import type { RepoAccess } from './objects/repo-objects'

/*
 * Patch-ids under one pinned definition, so both sides of a comparison agree:
 *   git diff-tree -p --full-index --no-renames --histogram --no-indent-heuristic <parent> <commit> | git patch-id --stable
 * The patch text is produced in JS and hashed by a port of builtin/patch-id.c (git 2.39), quirks
 * included: the "diff" line after a binary file is not hashed, and a header-only file (mode
 * change, empty new file) is not flushed separately from the next one.
 */

/** The stable patch-id of a commit against its parent; undefined for merges and commits that change nothing. A root commit is diffed against the empty tree. */
export async function patchId(repo: RepoAccess, sha: Sha): Promise<string | undefined> {
  const objects = new RepoObjects(repo)
  const changes = await commitChanges(objects, sha)
  return changes && patchIdOf(objects, changes)
}

/** A cheap id of which paths a commit changes and how; undefined for merges and commits that change nothing. */
export async function headerId(repo: RepoAccess, sha: Sha): Promise<string | undefined> {
  const changes = await commitChanges(new RepoObjects(repo), sha)
  return changes && headerIdOf(changes)
}

/** The files a commit changes against its first parent (the empty tree for a root); undefined for a merge. */
export async function commitChanges(objects: RepoObjects, sha: Sha): Promise<FileChange[] | undefined> {
  const commit = await objects.readCommit(sha)
  if (commit.parents.length > 1) return undefined
  const parent = commit.parents[0]
  const base = parent === undefined ? undefined : (await objects.readCommit(parent)).tree
  return diffTrees(objects, base, commit.tree)
}

/** The patch-id of these changes; undefined when there are none. */
export function patchIdOf(objects: RepoObjects, changes: readonly FileChange[]): string | undefined {
  if (changes.length === 0) return undefined
  const sum = new PatchIdSum()
  const classes = new LineClasses()
  for (const change of changes) emitPatch(objects, change, sum, classes)
  return sum.result()
}

/**
 * The header id of these changes: which paths change and how (added, deleted, modified, modes), in any order and
 * without whitespace in paths, so that equal patch-ids always imply equal header ids (git's own header-only id
 * trick: compare these first, compute patch-ids only where they collide). Undefined when there are no changes.
 */
export function headerIdOf(changes: readonly FileChange[]): string | undefined {
  if (changes.length === 0) return undefined
  const parts = changes.map((c) => {
    const how = !c.old
      ? `A ${c.new?.mode}`
      : !c.new
        ? `D ${c.old.mode}`
        : c.old.mode === c.new.mode
          ? 'M'
          : `M ${c.old.mode} ${c.new.mode}`
    return `${how} ${c.path.replace(/[ \t\n\r]/g, '')}\0`
  })
  return createHash('sha1')
    .update(Buffer.from(parts.sort().join(''), 'latin1'))
    .digest('hex')
}

/** `git patch-id --stable` over patch lines (latin1 strings, each ending in \n). */
export function patchIdOfLines(lines: string[]): string | undefined {
  const sum = new PatchIdSum()
  for (const line of lines) sum.text(line)
  return sum.result()
}

const SPACE = 0x20
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SIGN_BYTE = { ' ': SPACE, '-': 0x2d, '+': 0x2b } as const

/**
 * The state machine of builtin/patch-id.c (get_one_patchid with --stable), fed line by line. The
 * bytes it hashes (each line without whitespace) gather in one buffer per file and are hashed at
 * the file's end, so the many content lines of a large patch cost a byte copy, not a string each.
 */
export class PatchIdSum implements PatchSink {
  private readonly result20 = new Uint8Array(20)
  private pending = Buffer.allocUnsafe(64 * 1024)
  private used = 0
  private patchLen = 0
  private before = -1
  private after = -1
  private binary = false
  private preOid = ''
  private postOid = ''
  private stopped = false

  /** One whole line (latin1, ending in \n). */
  text(line: string): void {
    if (this.stopped) return
    if (line.startsWith('\\ ') && line.length > 12) return
    if (this.patchLen === 0 && !line.startsWith('diff ')) return
    if (this.before === -1) {
      if (line.startsWith('GIT binary patch') || line.startsWith('Binary files')) {
        this.binary = true
        this.before = 0
        this.appendText(this.preOid)
        this.appendText(this.postOid)
        this.flush()
        return
      } else if (line.startsWith('index ')) {
        const dots = line.indexOf('..')
        if (dots !== -1) {
          const space = line.indexOf(' ', dots)
          this.preOid = line.slice(6, dots)
          this.postOid = line.slice(dots + 2, space === -1 ? line.length - 1 : space)
        }
        return
      } else if (line.startsWith('--- ')) {
        this.before = this.after = 1
      } else if (!/^[A-Za-z]/.test(line)) {
        this.stopped = true
        return
      }
    }
    if (this.binary) {
      if (line.startsWith('diff ')) {
        this.binary = false
        this.before = -1
      }
      return
    }
    if (this.before === 0 && this.after === 0) {
      if (line.startsWith('@@ -')) {
        ;[this.before, this.after] = hunkCounts(line)
        return
      }
      if (!line.startsWith('diff ')) {
        this.stopped = true
        return
      }
      this.flush()
      this.before = this.after = -1
    }
    this.count(line[0])
    this.patchLen += this.appendText(line)
  }

  /** A content line of a hunk as bytes: the common case, taken without making a string. */
  content(sign: ' ' | '-' | '+', data: Buffer, start: number, end: number): void {
    if (this.stopped || this.binary || this.before === -1 || (this.before <= 0 && this.after <= 0)) {
      this.text(sign + data.toString('latin1', start, end) + (data[end - 1] === LF ? '' : '\n'))
      return
    }
    this.count(sign)
    const room = this.used + 1 + (end - start)
    if (room > this.pending.length) this.grow(room)
    const out = this.pending
    let n = this.used
    if (sign !== ' ') out[n++] = SIGN_BYTE[sign]
    for (let i = start; i < end; i++) {
      const c = data[i] as number
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) out[n++] = c
    }
    this.patchLen += n - this.used
    this.used = n
  }

  /** The patch-id, or undefined when nothing was hashed (no patch). */
  result(): string | undefined {
    this.flush()
    return this.patchLen === 0 ? undefined : Buffer.from(this.result20).toString('hex')
  }

  private count(first: string | undefined): void {
    if (first === '-' || first === ' ') this.before--
    if (first === '+' || first === ' ') this.after--
  }

  // The line without spaces, tabs, CR and LF: git's own isspace() (sane_ctype) knows no other whitespace.
  private appendText(line: string): number {
    if (this.used + line.length > this.pending.length) this.grow(this.used + line.length)
    let n = this.used
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i)
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) this.pending[n++] = c & 0xff
    }
    const added = n - this.used
    this.used = n
    return added
  }

  private grow(size: number): void {
    const next = Buffer.allocUnsafe(Math.max(size, this.pending.length * 2))
    this.pending.copy(next, 0, 0, this.used)
    this.pending = next
  }

  // Adds one file's SHA-1 to the sum, byte by byte with carry, as flush_one_hunk does.
  private flush(): void {
    const digest = createHash('sha1').update(this.pending.subarray(0, this.used)).digest()
    this.used = 0
    let carry = 0
    for (let i = 0; i < 20; i++) {
      carry += (this.result20[i] as number) + (digest[i] as number)
      this.result20[i] = carry & 0xff
      carry >>= 8
    }
  }
}

// scan_hunk_header: "@@ -a[,b] +c[,d] @@" → [b, d], a missing count meaning 1.
function hunkCounts(line: string): [number, number] {
  const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))?/.exec(line)
  return [m?.[1] === undefined ? 1 : Number(m[1]), m?.[2] === undefined ? 1 : Number(m[2])]
}
