import type { Workspace } from '../../../shared/models/workspace'

/**
 * The environments right before `environment` on the region paths, in region order without repeats (only on
 * `region`'s path when given). The matrix compares a cell with the first; `requirePreviousSuccess` accepts any.
 */
export function previousEnvironments(
  workspace: Pick<Workspace, 'regions'>,
  environment: string,
  region?: string,
): string[] {
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
export function isProduction(workspace: Pick<Workspace, 'regions'>, environment: string): boolean {
  return workspace.regions.some((r) => r.production.includes(environment))
}
