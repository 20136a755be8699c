import { dirname, join } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { TrainSettings, Workspace } from '../../../shared/models/workspace'
import { readManualCuts, withManualCuts, type ManualCut } from '../trains/manual-cuts'
import type { HotfixBranchTip, TrainInputs } from '../trains/ports'
import { hotfixTips, loadHistories, trainPorts, type LoadedHistory } from './train-ports'
import type { WorkspaceRuntime } from './workspace-runtime'

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

/** Where a workspace's manual cuts are recorded: its state folder (the one holding the clones). */
export function manualCutsFile(runtime: WorkspaceRuntime): string {
  return join(dirname(dirname(runtime.repos.clones.gitdir('x'))), 'manual-cuts.json')
}

/** The trains' inputs over the real runtime: the last probes (fresh when `refresh`), the journal, hotfix branches in the clones. */
export async function loadTrainInputs(
  runtime: WorkspaceRuntime,
  now: Date,
  opts: { refresh?: boolean } = {},
): Promise<{ input: TrainInputs; histories: Map<string, LoadedHistory>; cuts: ManualCut[] }> {
  const { workspace, repos } = runtime
  const settings = trainSettingsOf(workspace)
  const histories = await loadHistories(repos, workspace.services, settings)
  const cuts = await readManualCuts(manualCutsFile(runtime))
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
    ports: withManualCuts(
      trainPorts(histories),
      cuts,
      (name) => workspace.services.find((s) => s.name === name)?.defaultBranch,
    ),
  }
  return { input, histories, cuts }
}
