import { AppError } from '../../../shared/errors'
import type { TrainSettings } from '../../../shared/models/workspace'

/*
 * The one home of hotfix branch names: the workspace's pattern (`hotfixBranch`, e.g. "{region}-release") read
 * both ways. Everything else (the clone's refs, the board, the flow, the promotion's rollback reason) asks here.
 */

/** The hotfix branch of a region by the workspace's pattern, e.g. `us-release`. */
export function hotfixBranchName(settings: Pick<TrainSettings, 'hotfixBranch'>, region: string): string {
  return settings.hotfixBranch.replaceAll('{region}', region)
}

/** The region a branch is the hotfix branch of, among the regions that take trains; undefined when none. */
export function regionOfHotfixBranch(
  settings: Pick<TrainSettings, 'hotfixBranch' | 'regions'>,
  branch: string,
): string | undefined {
  return settings.regions.map((r) => r.region).find((region) => hotfixBranchName(settings, region) === branch)
}

/** The hotfix branch of a region that takes trains; AppError('not-found') for any other region. */
export function hotfixBranchOf(settings: Pick<TrainSettings, 'hotfixBranch' | 'regions'>, region: string): string {
  if (!settings.regions.some((r) => r.region === region)) {
    throw new AppError(
      'not-found',
      `No region "${region}" takes trains; the trains name ${settings.regions.map((r) => r.region).join(', ')}.`,
    )
  }
  return hotfixBranchName(settings, region)
}

/** Every region's hotfix branch name, in the trains' region order. */
export function hotfixBranchNames(settings: Pick<TrainSettings, 'hotfixBranch' | 'regions'>): string[] {
  return settings.regions.map((r) => hotfixBranchName(settings, r.region))
}
