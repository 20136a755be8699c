import { AppError } from '../../../shared/errors'
import { covers, coversEnvironment, lockState, scopeText } from '../../../shared/coordination/lock-scope'
import type { Lock, LockScope, LockView } from '../../../shared/models/coordination'
import type { Workspace } from '../../../shared/models/workspace'
import { whoText } from './identity'

export { covers, lockState, regionEnvironments, scopeText } from '../../../shared/coordination/lock-scope'

/** A lock with its state now. */
export function lockView(lock: Lock, now: Date): LockView {
  return { ...lock, state: lockState(lock, now) }
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
        region.production.some((environment) => coversEnvironment(workspace, lock.scope, environment)),
    )
    return holding.length > 0 ? [{ region: region.name, locks: holding.map((l) => l.id) }] : []
  })
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
