import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { describeOwner, ownerState } from './process-owner'
import { lockHolder, tryLock, type HeldLock, type LockInfo } from './lock-file'
import { keyOf } from './run-queries'

/** One service × environment. */
export interface Target {
  service: string
  environment: string
}

/**
 * The lock file of each service × environment (`<dir>/<service>@<environment>-<hash>.lock`), shared by every
 * Trainyard process of a workspace. Its holder owns the target's active run: it alone triggers, follows and
 * settles it. A process holds a target from the guard until it stops following the run (final, unknown, or it
 * closes); a crashed holder's lock is taken over by the next process that needs the target.
 */
export class TargetLocks {
  private readonly held = new Map<string, HeldLock>()

  constructor(private readonly dir: string) {}

  /** Takes the target's lock, or returns who holds it (this process included, when it already does). */
  claim(target: Target, purpose: string): { held: HeldLock } | { holder: LockInfo } {
    const mine = this.held.get(keyOf(target))
    if (mine) return { holder: mine.info }
    const outcome = tryLock(this.fileOf(target), purpose)
    if ('held' in outcome) this.held.set(keyOf(target), outcome.held)
    return outcome
  }

  /** Who else holds the target now, if a live process (or one on another host) does. */
  holder(target: Target): LockInfo | undefined {
    if (this.held.has(keyOf(target))) return undefined
    const info = lockHolder(this.fileOf(target))
    return info && ownerState(info) !== 'dead' ? info : undefined
  }

  /** Whether this process holds the target. */
  holds(target: Target): boolean {
    return this.held.has(keyOf(target))
  }

  /** Lets the target go. */
  release(target: Target): void {
    this.held.get(keyOf(target))?.release()
    this.held.delete(keyOf(target))
  }

  /** Lets every target go (the runner closes). */
  releaseAll(): void {
    for (const lock of this.held.values()) lock.release()
    this.held.clear()
  }

  private fileOf(target: Target): string {
    const safe = (name: string): string => name.replace(/[^\w.-]+/g, '_').slice(0, 60)
    // The hash keeps names that sanitise alike (`a b` and `a_b`) apart.
    const hash = createHash('sha256').update(keyOf(target)).digest('hex').slice(0, 10)
    return join(this.dir, `${safe(target.service)}@${safe(target.environment)}-${hash}.lock`)
  }
}

/** The refusal when another process (or another promote here) holds a target. */
export function targetBusy(target: Target, holder: LockInfo): AppError {
  return new AppError(
    'deploy-conflict',
    `${target.service} in ${target.environment} is busy: ${holder.purpose}, by ${describeOwner(holder)} since ${holder.since}. ` +
      'Wait for it to finish.',
    { holder: { pid: holder.pid, host: holder.host, purpose: holder.purpose, since: holder.since } },
  )
}
