import type { Sha } from '../../../shared/models/workspace'
import type { FileTree } from './record-tree'

/** When one side last wrote a record file: its `updatedAt`, or for a deleted file the deleting commit's time (ms). */
export type WrittenAt = (side: 'ours' | 'theirs', blob: Sha | undefined) => Promise<number>

/**
 * Merges two record trees that forked at `base`, file by file: records are independent, so a file changed on one
 * side only takes that side; a file changed on both sides takes the later write (ties go to `theirs`, what the team
 * already sees). Both versions stay in history because the merge commit has both sides as parents.
 */
export async function mergeFileTrees(
  base: FileTree,
  ours: FileTree,
  theirs: FileTree,
  writtenAt: WrittenAt,
): Promise<FileTree> {
  const merged: FileTree = new Map()
  const paths = new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])
  for (const path of [...paths].sort()) {
    const b = base.get(path)
    const o = ours.get(path)
    const t = theirs.get(path)
    let pick: Sha | undefined
    if (o === t || o === b) pick = t
    else if (t === b) pick = o
    else pick = (await writtenAt('ours', o)) > (await writtenAt('theirs', t)) ? o : t
    if (pick !== undefined) merged.set(path, pick)
  }
  return merged
}
