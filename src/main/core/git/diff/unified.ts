import type { RepoObjects } from '../objects/repo-objects'
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

/** Where a patch goes line by line; content lines come as byte ranges of the file so a hasher never makes strings of them. */
export interface PatchSink {
  /** A header, hunk header or "\\ No newline" line as latin1 text ending in \n. */
  text(line: string): void
  /** A context (' '), removed ('-') or added ('+') line: the sign, then `data[start, end)` (its \n, when it has one). */
  content(sign: ' ' | '-' | '+', data: Buffer, start: number, end: number): void
}

const CONTEXT = 3
const NULL_SHA = '0'.repeat(40)

/** The patch lines git prints for one changed file (two patches when the file type changed). */
export function patchLines(store: RepoObjects, change: FileChange): string[] {
  const lines: string[] = []
  emitPatch(store, change, {
    text: (line) => lines.push(line),
    content: (sign, data, start, end) =>
      lines.push(sign + data.toString('latin1', start, end) + (data[end - 1] === 10 ? '' : '\n')),
  })
  return lines
}

/**
 * Emits the patch of one changed file into `sink` (two patches when the file type changed). The
 * patches of one commit may share `classes`: line ids need only be equal for equal lines.
 */
export function emitPatch(
  store: RepoObjects,
  change: FileChange,
  sink: PatchSink,
  classes: LineClasses = new LineClasses(),
): void {
  const { old, new: now } = change
  if (old && now && typeOf(old.mode) !== typeOf(now.mode)) {
    emitPatch(store, { path: change.path, old }, sink, classes)
    emitPatch(store, { path: change.path, new: now }, sink, classes)
    return
  }
  const a = quote(`a/${change.path}`)
  const b = quote(`b/${change.path}`)
  sink.text(`diff --git ${a} ${b}\n`)
  if (!old && now) sink.text(`new file mode ${now.mode}\n`)
  else if (old && !now) sink.text(`deleted file mode ${old.mode}\n`)
  else if (old && now && old.mode !== now.mode) {
    sink.text(`old mode ${old.mode}\n`)
    sink.text(`new mode ${now.mode}\n`)
  }
  const oldSha = old?.sha ?? NULL_SHA
  const newSha = now?.sha ?? NULL_SHA
  if (oldSha === newSha) return
  sink.text(`index ${oldSha}..${newSha}${old && now && old.mode === now.mode ? ` ${old.mode}` : ''}\n`)
  const before = contentOf(store, old)
  const after = contentOf(store, now)
  const labelA = old ? a : '/dev/null'
  const labelB = now ? b : '/dev/null'
  if (isBinary(before) || isBinary(after)) {
    if (!before.equals(after)) sink.text(`Binary files ${labelA} and ${labelB} differ\n`)
    return
  }
  const f1 = splitLines(before, classes)
  const f2 = splitLines(after, classes)
  const script = diffIds(f1.ids, f2.ids)
  if (script.length === 0) return
  sink.text(`--- ${labelA}\n`)
  sink.text(`+++ ${labelB}\n`)
  emitHunks(f1, f2, script, sink)
}

function typeOf(mode: string): string {
  return mode === '120000' ? 'symlink' : mode === '160000' ? 'gitlink' : 'file'
}

function contentOf(store: RepoObjects, side: { mode: string; sha: string } | undefined): Buffer {
  if (!side) return Buffer.alloc(0)
  if (side.mode === '160000') return Buffer.from(`Subproject commit ${side.sha}\n`)
  return store.readNow(side.sha, 'blob')
}

function push(sink: PatchSink, sign: ' ' | '-' | '+', file: LineFile, i: number): void {
  const start = file.starts[i] ?? 0
  const end = file.starts[i + 1] ?? start
  sink.content(sign, file.data, start, end)
  if (end === start || file.data[end - 1] !== 10) sink.text('\\ No newline at end of file\n')
}

// xdiff/xemit.c: changes closer than 2 × context lines share a hunk.
function emitHunks(f1: LineFile, f2: LineFile, script: ReturnType<typeof diffIds>, sink: PatchSink): void {
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
    sink.text(`@@ -${s1 + 1},${e1 - s1} +${s2 + 1},${e2 - s2} @@\n`)
    for (; s2 < first.i2; s2++) push(sink, ' ', f2, s2)
    for (let k = h; k <= last; k++) {
      const x = script[k] as (typeof script)[number]
      if (k > h) {
        const p = script[k - 1] as (typeof script)[number]
        for (let s = p.i2 + p.chg2; s < x.i2; s++) push(sink, ' ', f2, s)
      }
      for (let s = x.i1; s < x.i1 + x.chg1; s++) push(sink, '-', f1, s)
      for (let s = x.i2; s < x.i2 + x.chg2; s++) push(sink, '+', f2, s)
    }
    for (let s = end.i2 + end.chg2; s < e2; s++) push(sink, ' ', f2, s)
    h = last + 1
  }
}

// quote_c_style with core.quotePath on: control bytes, '"', '\\' and bytes ≥ 0x80 are escaped.
function quote(name: string): string {
  let needsQuote = false
  for (let i = 0; i < name.length && !needsQuote; i++) {
    const code = name.charCodeAt(i)
    needsQuote = code < 0x20 || code === 0x22 || code === 0x5c || code >= 0x7f
  }
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
