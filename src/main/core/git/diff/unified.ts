import type { ObjectStore } from '../merge/object-store'
import { isBinary } from '../merge/tree-merge'
import { diffIds } from './diff'
import { LineClasses, splitLines } from './line-file'
import type { LineFile } from './line-file'
import type { FileChange } from './tree-diff'

/*
 * The text of `git diff-tree -p --full-index --no-renames --histogram --no-indent-heuristic` for
 * one file change, as latin1 lines (each ending in \n). Hunk headers carry no function context:
 * nothing downstream (patch-id) reads it.
 */

const CONTEXT = 3
const NULL_SHA = '0'.repeat(40)

/** The patch lines git prints for one changed file (two patches when the file type changed). */
export async function patchLines(store: ObjectStore, change: FileChange): Promise<string[]> {
  const { old, new: now } = change
  if (old && now && typeOf(old.mode) !== typeOf(now.mode)) {
    return [
      ...(await patchLines(store, { path: change.path, old })),
      ...(await patchLines(store, { path: change.path, new: now })),
    ]
  }
  const a = quote(`a/${change.path}`)
  const b = quote(`b/${change.path}`)
  const lines = [`diff --git ${a} ${b}\n`]
  if (!old && now) lines.push(`new file mode ${now.mode}\n`)
  else if (old && !now) lines.push(`deleted file mode ${old.mode}\n`)
  else if (old && now && old.mode !== now.mode) lines.push(`old mode ${old.mode}\n`, `new mode ${now.mode}\n`)
  const oldSha = old?.sha ?? NULL_SHA
  const newSha = now?.sha ?? NULL_SHA
  if (oldSha === newSha) return lines
  lines.push(`index ${oldSha}..${newSha}${old && now && old.mode === now.mode ? ` ${old.mode}` : ''}\n`)
  const [before, after] = await Promise.all([contentOf(store, old), contentOf(store, now)])
  const labelA = old ? a : '/dev/null'
  const labelB = now ? b : '/dev/null'
  if (isBinary(before) || isBinary(after)) {
    if (!before.equals(after)) lines.push(`Binary files ${labelA} and ${labelB} differ\n`)
    return lines
  }
  const classes = new LineClasses()
  const f1 = splitLines(before, classes)
  const f2 = splitLines(after, classes)
  const script = diffIds(f1.ids, f2.ids)
  if (script.length === 0) return lines
  lines.push(`--- ${labelA}\n`, `+++ ${labelB}\n`)
  emitHunks(f1, f2, script, lines)
  return lines
}

function typeOf(mode: string): string {
  return mode === '120000' ? 'symlink' : mode === '160000' ? 'gitlink' : 'file'
}

async function contentOf(store: ObjectStore, side: { mode: string; sha: string } | undefined): Promise<Buffer> {
  if (!side) return Buffer.alloc(0)
  if (side.mode === '160000') return Buffer.from(`Subproject commit ${side.sha}\n`)
  return store.read(side.sha, 'blob')
}

function push(lines: string[], sign: string, file: LineFile, i: number): void {
  const text = file.data.toString('latin1', file.starts[i], file.starts[i + 1])
  if (text.endsWith('\n')) lines.push(sign + text)
  else lines.push(`${sign}${text}\n`, '\\ No newline at end of file\n')
}

// xdiff/xemit.c: changes closer than 2 × context lines share a hunk.
function emitHunks(f1: LineFile, f2: LineFile, script: ReturnType<typeof diffIds>, lines: string[]): void {
  for (let h = 0; h < script.length;) {
    let last = h
    while (last + 1 < script.length) {
      const prev = script[last] as (typeof script)[number]
      const next = script[last + 1] as (typeof script)[number]
      if (next.i1 - (prev.i1 + prev.chg1) > 2 * CONTEXT) break
      last++
    }
    const first = script[h] as (typeof script)[number]
    const end = script[last] as (typeof script)[number]
    const s1 = Math.max(first.i1 - CONTEXT, 0)
    let s2 = Math.max(first.i2 - CONTEXT, 0)
    const lctx = Math.min(CONTEXT, f1.count - (end.i1 + end.chg1), f2.count - (end.i2 + end.chg2))
    const e1 = end.i1 + end.chg1 + lctx
    const e2 = end.i2 + end.chg2 + lctx
    lines.push(`@@ -${s1 + 1},${e1 - s1} +${s2 + 1},${e2 - s2} @@\n`)
    for (; s2 < first.i2; s2++) push(lines, ' ', f2, s2)
    for (let k = h; k <= last; k++) {
      const x = script[k] as (typeof script)[number]
      if (k > h) {
        const p = script[k - 1] as (typeof script)[number]
        for (let s = p.i2 + p.chg2; s < x.i2; s++) push(lines, ' ', f2, s)
      }
      for (let s = x.i1; s < x.i1 + x.chg1; s++) push(lines, '-', f1, s)
      for (let s = x.i2; s < x.i2 + x.chg2; s++) push(lines, '+', f2, s)
    }
    for (let s = end.i2 + end.chg2; s < e2; s++) push(lines, ' ', f2, s)
    h = last + 1
  }
}

// quote_c_style with core.quotePath on: control bytes, '"', '\\' and bytes ≥ 0x80 are escaped.
function quote(name: string): string {
  const needsQuote = [...name].some((ch) => ch < ' ' || ch === '"' || ch === '\\' || ch >= '\x7f')
  if (!needsQuote) return name
  const letters: Record<string, string> = {
    '\x07': 'a',
    '\b': 'b',
    '\t': 't',
    '\n': 'n',
    '\v': 'v',
    '\f': 'f',
    '\r': 'r',
    '"': '"',
    '\\': '\\',
  }
  let out = '"'
  for (const ch of name) {
    const code = ch.charCodeAt(0)
    const letter = letters[ch]
    if (letter !== undefined) out += `\\${letter}`
    else if (code < 0x20 || code >= 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`
    else out += ch
  }
  return `${out}"`
}
