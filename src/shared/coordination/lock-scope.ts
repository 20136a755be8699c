import type { Lock, LockScope, LockState } from '../models/coordination'
import type { Workspace } from '../models/workspace'

/** Whether a lock applies at `now` (a Date or epoch ms): not lifted and not expired. */
export function lockState(lock: Lock, now: Date | number): LockState {
  if (lock.lifted) return 'lifted'
  if (lock.expiresAt !== undefined && Date.parse(lock.expiresAt) <= Number(now)) return 'expired'
  return 'active'
}

/**
 * The environments a region's lock covers: those on its path and on no other region's (production-us for us; the
 * shared dev, qa, staging stay open), or its production environments when every step is shared.
 */
export function regionEnvironments(workspace: Pick<Workspace, 'regions'>, region: string): string[] {
  const own = workspace.regions.find((r) => r.name === region)
  if (!own) return []
  const elsewhere = new Set(workspace.regions.filter((r) => r.name !== region).flatMap((r) => r.path))
  const alone = own.path.filter((environment) => !elsewhere.has(environment))
  return alone.length > 0 ? alone : own.production
}

/** Whether a lock's scope covers one service in one environment (whatever its state). */
export function covers(
  workspace: Pick<Workspace, 'regions'>,
  scope: LockScope,
  service: string,
  environment: string,
): boolean {
  switch (scope.kind) {
    case 'workspace':
      return true
    case 'region':
      return regionEnvironments(workspace, scope.region).includes(environment)
    case 'environment':
      return scope.environment === environment
    case 'service':
      return scope.service === service && scope.environment === environment
    default: {
      const never: never = scope
      return never
    }
  }
}

/** Whether a lock's scope covers a whole environment (every service in it). */
export function coversEnvironment(
  workspace: Pick<Workspace, 'regions'>,
  scope: LockScope,
  environment: string,
): boolean {
  return scope.kind !== 'service' && covers(workspace, scope, '', environment)
}

/** What a scope covers, in words: "production-us", "billing in production-us", "region us", "the whole workspace". */
export function scopeText(scope: LockScope): string {
  switch (scope.kind) {
    case 'workspace':
      return 'the whole workspace'
    case 'region':
      return `region ${scope.region}`
    case 'environment':
      return scope.environment
    case 'service':
      return `${scope.service} in ${scope.environment}`
    default: {
      const never: never = scope
      return never
    }
  }
}
