import type { TrainBoard } from '../../../../shared/models/trains'
import type { ResolvedQuery } from '../../environments/where'
import type { WorkspaceRuntime } from '../../runtime/workspace-runtime'
import { trainBoard } from '../board'
import { loadTrainInputs } from './inputs'

/**
 * The trains board over the last known probes, for views that only mention trains (the matrix, "where"): undefined
 * when the workspace has no trains or a clone is not ready yet (this never clones), or when the board cannot be made.
 */
export async function boardIfReady(runtime: WorkspaceRuntime, now: Date): Promise<TrainBoard | undefined> {
  if (runtime.workspace.trains === undefined) return undefined
  for (const s of runtime.workspace.services)
    if ((await runtime.repos.indexIfReady(s.name)) === undefined) return undefined
  try {
    const { input } = await loadTrainInputs(runtime, now)
    return trainBoard(input)
  } catch {
    // Trains are a comfort on these views; the trains view reports what is wrong with them.
    return undefined
  }
}

/**
 * A query that names a train ("LEE", or "LEE-2026-11-27" with its cut date) resolves, in each service of `services`,
 * to the SHA the newest such cut train holds; nothing when no cut train has that name.
 */
export async function resolveTrain(
  runtime: WorkspaceRuntime,
  now: Date,
  query: string,
  services: readonly string[],
): Promise<ResolvedQuery[]> {
  const text = query.trim().toUpperCase()
  if (!/^[A-Z][A-Z0-9_-]*$/.test(text)) return []
  const board = await boardIfReady(runtime, now)
  const train = board?.trains
    .map((t) => t.train)
    .reverse()
    .find(
      (t) =>
        Object.keys(t.shas).length > 0 &&
        (t.name.toUpperCase() === text || `${t.name}-${t.cutDate}`.toUpperCase() === text),
    )
  if (train === undefined) return []
  return Object.entries(train.shas)
    .filter(([service]) => services.includes(service))
    .map(([service, sha]) => ({ service, sha, via: 'train' as const }))
}
