import type { Region } from './workspace'

/** What the path questions need: the workspace's regions (or any list of them). */
export interface RegionPaths {
  readonly regions: readonly Region[]
}

/**
 * The environments right before `environment` on the region paths, in region order without repeats (only on
 * `region`'s path when given). The matrix compares a cell with the first; `requirePreviousSuccess` accepts any;
 * a train promotion and the hotfix flow take the one on their region's path. The one home of "the previous
 * environment", for the core and the renderer alike.
 */
export function previousEnvironments(workspace: RegionPaths, environment: string, region?: string): string[] {
  const found: string[] = []
  for (const r of workspace.regions) {
    if (region !== undefined && r.name !== region) continue
    const at = r.path.indexOf(environment)
    const before = at > 0 ? r.path[at - 1] : undefined
    if (before !== undefined && !found.includes(before)) found.push(before)
  }
  return found
}

/** Whether an environment is a production environment of some region. */
export function isProduction(workspace: RegionPaths, environment: string): boolean {
  return workspace.regions.some((r) => r.production.includes(environment))
}
