import { AppError } from '../../../../shared/errors'
import { commitChanges, headerIdOf, patchIdOf } from '../patch-id'
import type { RepoObjects } from '../objects/repo-objects'
import { Known, type PatchIdTable } from './patch-id-table'

/**
 * Computes what `want` asks of the commit at `pos` and records it in `table`: its header id, and its patch-id when
 * `want` is 'patch' or when another commit already shares the header id (git's header-id trick).
 * Merges and commits that change nothing get no patch-id; so does a commit whose objects the clone lacks (the
 * parent beyond a shallow boundary), which no comparison could use.
 */
export async function computeIds(
  objects: RepoObjects,
  table: PatchIdTable,
  pos: number,
  want: 'header' | 'patch',
): Promise<void> {
  const { index } = table
  const state = table.known[pos] as Known
  if (state === Known.Patch || state === Known.NoPatch) return
  if ((index.columns.parentStart[pos + 1] ?? 0) - (index.columns.parentStart[pos] ?? 0) > 1) {
    table.setNoPatch(pos)
    return
  }
  let changes
  try {
    changes = await commitChanges(objects, index.shaAt(pos))
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'sha-not-in-clone') throw error
    table.setNoPatch(pos)
    return
  }
  const header = changes && headerIdOf(changes)
  if (changes === undefined || header === undefined) {
    table.setNoPatch(pos)
    return
  }
  if (state === Known.Nothing) table.setHeader(pos, header)
  if (want === 'header' && !table.headerGroup(table.headerKey(pos)).some((other) => other !== pos)) return
  const patch = patchIdOf(objects, changes)
  if (patch === undefined) table.setNoPatch(pos)
  else table.setPatch(pos, patch)
}
