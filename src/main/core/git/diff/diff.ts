import { buildScript, compactChanges } from './compact'
import type { LineChange } from './compact'
import { histogramDiff } from './histogram'
import type { LineFile } from './line-file'

export type { LineChange } from './compact'

/** The changes from `a` to `b` exactly as `git diff --histogram --no-indent-heuristic` finds them. */
export function diffLines(a: LineFile, b: LineFile): LineChange[] {
  return diffIds(a.ids, b.ids)
}

/** Like diffLines over bare line-class ids (equal id = equal line). */
export function diffIds(a: Int32Array, b: Int32Array): LineChange[] {
  const changed1 = new Uint8Array(a.length + 2)
  const changed2 = new Uint8Array(b.length + 2)
  histogramDiff(a, b, changed1, changed2)
  compactChanges(a, changed1, b.length, changed2)
  compactChanges(b, changed2, a.length, changed1)
  return buildScript(changed1, a.length, changed2, b.length)
}
