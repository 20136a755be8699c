import type { Workspace } from '../../../shared/models/workspace'

/** The environment before `environment` in its region paths (the first path that has one), if any. */
export function previousInPath(workspace: Pick<Workspace, 'regions'>, environment: string): string | undefined {
  for (const region of workspace.regions) {
    const at = region.path.indexOf(environment)
    if (at > 0) return region.path[at - 1]
  }
  return undefined
}

/** Whether an environment is a production environment of some region. */
export function isProduction(workspace: Pick<Workspace, 'regions'>, environment: string): boolean {
  return workspace.regions.some((r) => r.production.includes(environment))
}
