import type { TrainBoard } from '../../../shared/models/trains'
import { boardWithManualCuts } from '../trains/manual-cuts'
import { loadTrainInputs } from './train-inputs'
import type { WorkspaceRuntime } from './workspace-runtime'

/**
 * The trains board over the last known probes, for views that only mention trains (the matrix, "where"): undefined
 * when the workspace has no trains or a clone is not ready yet (this never clones), or when the board cannot be made.
 */
export async function boardIfReady(runtime: WorkspaceRuntime, now: Date): Promise<TrainBoard | undefined> {
  if (runtime.workspace.trains === undefined) return undefined
  for (const s of runtime.workspace.services)
    if ((await runtime.repos.indexIfReady(s.name)) === undefined) return undefined
  try {
    const { input, cuts } = await loadTrainInputs(runtime, now)
    return boardWithManualCuts(input, cuts)
  } catch {
    // Trains are a comfort on these views; the trains view reports what is wrong with them.
    return undefined
  }
}
