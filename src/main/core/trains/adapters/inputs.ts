import { AppError } from '../../../../shared/errors'
import type { TrainSettings, Workspace } from '../../../../shared/models/workspace'
import type { WorkspaceRuntime } from '../../runtime/workspace-runtime'
import { manualCutsFile, readManualCuts } from '../manual-cuts'
import type { HotfixBranchTip, TrainInputs } from '../ports'
import { hotfixTips, loadHistories, trainPorts, type LoadedHistory } from './history-ports'

/** The train settings of a workspace, or AppError('invalid-workspace') when it has none. */
export function trainSettingsOf(workspace: Workspace): TrainSettings {
  if (workspace.trains === undefined) {
    throw new AppError(
      'invalid-workspace',
      `The workspace ${workspace.name} has no \`trains:\` section; add one to use release trains.`,
    )
  }
  return workspace.trains
}

/** The parts of an open workspace the trains read. */
export type TrainRuntime = Pick<WorkspaceRuntime, 'workspace' | 'repos' | 'probeResults' | 'runner' | 'stateDir'>

/**
 * The trains' inputs over the real runtime: the last probes (fresh when `refresh`), the journal, the hotfix
 * branches in the clones and the manual cuts recorded in the workspace's state folder.
 */
export async function loadTrainInputs(
  runtime: TrainRuntime,
  now: Date,
  opts: { refresh?: boolean } = {},
): Promise<{ input: TrainInputs; histories: Map<string, LoadedHistory> }> {
  const { workspace, repos } = runtime
  const settings = trainSettingsOf(workspace)
  const histories = await loadHistories(repos, workspace.services, settings)
  const manualCuts = await readManualCuts(manualCutsFile(runtime.stateDir))
  const probes = await runtime.probeResults(opts.refresh ?? false)
  const hotfixBranches: HotfixBranchTip[] = []
  for (const s of workspace.services) {
    const index = histories.get(s.name)?.index
    if (index !== undefined)
      hotfixBranches.push(...hotfixTips(s.name, index, settings, (await repos.clones.refs(s.name)).refs))
  }
  const input: TrainInputs = {
    now,
    settings,
    services: workspace.services,
    regions: workspace.regions,
    probes,
    journal: runtime.runner.list({}),
    hotfixBranches,
    manualCuts,
    ports: trainPorts(histories),
  }
  return { input, histories }
}
