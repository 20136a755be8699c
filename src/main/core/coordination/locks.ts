import { AppError } from '../../../shared/errors'
import type { Lock, LockScope, LockState, LockView } from '../../../shared/models/coordination'
import type { Workspace } from '../../../shared/models/workspace'
import { whoText } from './identity'

/** Whether a lock applies now: not lifted and not expired. */
export function lockState(lock: Lock, now: Date): LockState {
  if (lock.lifted) return 'lifted'
  if (lock.expiresAt !== undefined && Date.parse(lock.expiresAt) <= now.getTime()) return 'expired'
  return 'active'
}

/** A lock with its state now. */
export function lockView(lock: Lock, now: Date): LockView {
  return { ...lock, state: lockState(lock, now) }
}

/**
 * The environments a region's lock covers: those on its path and on no other region's (production-us for us; the
 * shared dev, qa, staging stay open), or its production environments when every step is shared.
 */
export function regionEnvironments(workspace: Workspace, region: string): string[] {
  const own = workspace.regions.find((r) => r.name === region)
  if (!own) return []
  const elsewhere = new Set(workspace.regions.filter((r) => r.name !== region).flatMap((r) => r.path))
  const alone = own.path.filter((environment) => !elsewhere.has(environment))
  return alone.length > 0 ? alone : own.production
}

/** Whether a lock's scope covers one service in one environment (whatever its state). */
export function covers(workspace: Workspace, scope: LockScope, service: string, environment: string): boolean {
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

/** The locks that refuse a promote of `service` to `environment` now. */
export function locksOn(
  workspace: Workspace,
  locks: Lock[],
  service: string,
  environment: string,
  now: Date,
): LockView[] {
  return locks
    .filter((lock) => lockState(lock, now) === 'active' && covers(workspace, lock.scope, service, environment))
    .map((lock) => lockView(lock, now))
}

/** Regions whose production a lock holds for every service (a service's own lock holds only that service). */
export function heldRegions(workspace: Workspace, locks: Lock[], now: Date): { region: string; locks: string[] }[] {
  return workspace.regions.flatMap((region) => {
    const holding = locks.filter(
      (lock) =>
        lockState(lock, now) === 'active' &&
        lock.scope.kind !== 'service' &&
        region.production.some((environment) => covers(workspace, lock.scope, '', environment)),
    )
    return holding.length > 0 ? [{ region: region.name, locks: holding.map((l) => l.id) }] : []
  })
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

/** One line naming a lock: what, who, since when, why, until when, its id. */
export function lockText(lock: Lock): string {
  const until = lock.expiresAt ? ` until ${lock.expiresAt}` : ''
  const link = lock.link ? ` (${lock.link})` : ''
  return `${scopeText(lock.scope)} is locked by ${whoText(lock.by)} since ${lock.at}${until}: ${lock.reason}${link} [lock ${lock.id}]`
}

/** Checks that a scope names what the workspace defines; AppError `not-found` otherwise. */
export function checkScope(workspace: Workspace, scope: LockScope): void {
  const environment = (name: string): void => {
    if (!workspace.environments.some((e) => e.name === name))
      throw new AppError('not-found', `There is no environment "${name}" in ${workspace.name}.`)
  }
  switch (scope.kind) {
    case 'workspace':
      return
    case 'region':
      if (!workspace.regions.some((r) => r.name === scope.region))
        throw new AppError('not-found', `There is no region "${scope.region}" in ${workspace.name}.`)
      return
    case 'environment':
      return environment(scope.environment)
    case 'service':
      if (!workspace.services.some((s) => s.name === scope.service))
        throw new AppError('not-found', `There is no service "${scope.service}" in ${workspace.name}.`)
      return environment(scope.environment)
    default: {
      const never: never = scope
      return never
    }
  }
}

/** The one lock an id (or a unique prefix of it) names; AppError `not-found` or `invalid-input` (ambiguous). */
export function findLock(locks: Lock[], id: string): Lock {
  const exact = locks.find((lock) => lock.id === id)
  if (exact) return exact
  const matches = locks.filter((lock) => lock.id.startsWith(id) || lock.id.endsWith(id))
  if (matches.length === 1 && matches[0]) return matches[0]
  if (matches.length === 0) throw new AppError('not-found', `There is no lock "${id}"; \`trainyard locks\` lists them.`)
  throw new AppError('invalid-input', `"${id}" names ${matches.length} locks; give more of the id.`, {
    candidates: matches.map((lock) => lock.id),
  })
}
