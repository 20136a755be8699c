import type { Sha } from '../../../../shared/models/workspace'
import type { RepoObjects } from '../objects/repo-objects'

/** One changed path between two trees, in `git diff-tree -r --no-renames` order; absent side = undefined. */
export interface FileChange {
  /** Raw path bytes as a latin1 string. */
  path: string
  old?: { mode: string; sha: Sha }
  new?: { mode: string; sha: Sha }
}

/** The changed files from tree `a` to tree `b` (either may be undefined for "no tree"), recursively. */
export function diffTrees(store: RepoObjects, a: Sha | undefined, b: Sha | undefined): Promise<FileChange[]> {
  return new Promise((resolve) => resolve(diffTreesNow(store, a, b)))
}

/** Like `diffTrees`, synchronously: the pack reader never waits. */
export function diffTreesNow(store: RepoObjects, a: Sha | undefined, b: Sha | undefined): FileChange[] {
  const out: FileChange[] = []
  walk(store, a, b, '', out)
  return out
}

const EMPTY = Buffer.alloc(0)
const DIRECTORY = 0o040000

// One entry of a raw tree: `<octal mode> <name>\0<20-byte sha>`, read in place so unchanged entries (most of them)
// never become strings.
class Cursor {
  at = 0
  mode = 0
  nameStart = 0
  nameEnd = 0

  constructor(readonly data: Buffer) {
    this.read()
  }

  get done(): boolean {
    return this.at >= this.data.length
  }

  get isDirectory(): boolean {
    return (this.mode & 0o170000) === DIRECTORY
  }

  next(): void {
    this.at = this.nameEnd + 21
    this.read()
  }

  name(): string {
    return this.data.toString('latin1', this.nameStart, this.nameEnd)
  }

  sha(): Sha {
    return this.data.toString('hex', this.nameEnd + 1, this.nameEnd + 21)
  }

  modeText(): string {
    return this.mode === DIRECTORY ? '40000' : this.mode.toString(8)
  }

  sameObject(other: Cursor): boolean {
    if (this.mode !== other.mode) return false
    // Byte loops: a native Buffer.compare per entry costs more than the 20 bytes it compares.
    const a = this.data
    const b = other.data
    for (let i = 1; i <= 20; i++) if (a[this.nameEnd + i] !== b[other.nameEnd + i]) return false
    return true
  }

  private read(): void {
    if (this.done) return
    const { data } = this
    let mode = 0
    let i = this.at
    for (; data[i] !== 0x20; i++) mode = mode * 8 + ((data[i] as number) - 0x30)
    this.mode = mode
    this.nameStart = i + 1
    this.nameEnd = data.indexOf(0, this.nameStart)
  }
}

// git's base_name_compare: names compared as bytes, a directory as if its name ended in "/".
function compareNames(l: Cursor, r: Cursor): number {
  const ll = l.nameEnd - l.nameStart
  const rl = r.nameEnd - r.nameStart
  const len = Math.min(ll, rl)
  const a = l.data
  const b = r.data
  for (let i = 0; i < len; i++) {
    const d = (a[l.nameStart + i] as number) - (b[r.nameStart + i] as number)
    if (d !== 0) return d
  }
  const cl = ll > len ? (a[l.nameStart + len] as number) : l.isDirectory ? 0x2f : 0
  const cr = rl > len ? (b[r.nameStart + len] as number) : r.isDirectory ? 0x2f : 0
  return cl - cr
}

function walk(store: RepoObjects, a: Sha | undefined, b: Sha | undefined, prefix: string, out: FileChange[]): void {
  if (a === b) return
  const l = new Cursor(a === undefined ? EMPTY : store.readNow(a, 'tree'))
  const r = new Cursor(b === undefined ? EMPTY : store.readNow(b, 'tree'))
  while (!l.done || !r.done) {
    const order = l.done ? 1 : r.done ? -1 : compareNames(l, r)
    if (order < 0) {
      side(store, l, prefix, 'old', out)
      l.next()
    } else if (order > 0) {
      side(store, r, prefix, 'new', out)
      r.next()
    } else {
      if (!l.sameObject(r)) {
        if (l.isDirectory) walk(store, l.sha(), r.sha(), `${prefix}${l.name()}/`, out)
        else
          out.push({
            path: prefix + l.name(),
            old: { mode: l.modeText(), sha: l.sha() },
            new: { mode: r.modeText(), sha: r.sha() },
          })
      }
      l.next()
      r.next()
    }
  }
}

function side(store: RepoObjects, e: Cursor, prefix: string, which: 'old' | 'new', out: FileChange[]): void {
  if (e.isDirectory) {
    const path = `${prefix}${e.name()}/`
    if (which === 'old') walk(store, e.sha(), undefined, path, out)
    else walk(store, undefined, e.sha(), path, out)
    return
  }
  out.push({ path: prefix + e.name(), [which]: { mode: e.modeText(), sha: e.sha() } })
}
