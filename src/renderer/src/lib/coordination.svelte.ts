import { covers, coversEnvironment, lockState } from '../../../shared/coordination/lock-scope'
import type { AppErrorData } from '../../../shared/errors'
import type {
  CoordinationState,
  LockRequest,
  LockScope,
  LockView,
  SharedRunView,
} from '../../../shared/models/coordination'
import { api } from './api'
import { errorOf } from './format'
import { workspace } from './workspace.svelte'

/** A lock or sign-off dialog someone asked for, with what it starts from. */
export type CoordinationRequest =
  | { kind: 'lock'; scope: LockScope; alternatives: LockScope[] }
  | { kind: 'signoff'; service: string; sha: string; environment: string }
  | { kind: 'locks'; locks: LockView[] }

/**
 * The team's shared picture as the renderer shows it: locks, sign-offs, runs others have in progress, and whether it
 * is shared or local. Follows `coordination.changed`; the dialogs it opens are drawn once, by CoordinationDialogs.
 */
export class CoordinationView {
  state = $state.raw<CoordinationState | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  /** The dialog open now, if any. */
  request = $state.raw<CoordinationRequest | null>(null)
  private stop: (() => void) | undefined

  /** Teammates' runs in progress (stale ones included, marked). */
  readonly others = $derived((this.state?.runs ?? []).filter((run) => !run.mine))

  /** Loads the picture and follows its changes; returns the function that stops following. */
  start(): () => void {
    this.stop?.()
    const stops = [
      api.on('coordination.changed', (state) => (this.state = state)),
      api.on('workspace.changed', () => void this.load()),
    ]
    this.stop = () => stops.forEach((stop) => stop())
    void this.load()
    return () => this.stop?.()
  }

  /** Reads the picture again; with `refresh`, fetched from the coordination repository first. */
  async load(refresh = false): Promise<void> {
    try {
      this.state = await api.invoke('coordination.state', refresh ? { refresh } : {})
      this.error = null
    } catch (error) {
      const data = errorOf(error)
      // Before a workspace is open there is no picture to show, and nothing went wrong.
      this.state = null
      this.error = data.code === 'no-workspace' ? null : data
    }
  }

  /** Active locks that refuse a promote of `service` to `environment`. */
  locksOn(service: string, environment: string): LockView[] {
    const model = workspace.view?.workspace
    if (!model) return []
    return this.active().filter((lock) => covers(model, lock.scope, service, environment))
  }

  /** Active locks on a whole environment (the column's). */
  locksOnEnvironment(environment: string): LockView[] {
    const model = workspace.view?.workspace
    if (!model) return []
    return this.active().filter((lock) => coversEnvironment(model, lock.scope, environment))
  }

  /** Active locks holding a region (the train board's). */
  heldBy(region: string): LockView[] {
    const ids = this.state?.held.find((h) => h.region === region)?.locks ?? []
    return this.active().filter((lock) => ids.includes(lock.id))
  }

  /** Teammates' runs of one service × environment. */
  othersOn(service: string, environment: string): SharedRunView[] {
    return this.others.filter((run) => run.service === service && run.environment === environment)
  }

  /** Sets a lock; throws its error for the dialog to show. */
  async lock(request: LockRequest): Promise<void> {
    await api.invoke('coordination.lock', request)
    await this.load()
  }

  /** Lifts a lock; throws its error for the dialog to show. */
  async unlock(lockId: string): Promise<void> {
    await api.invoke('coordination.unlock', { lockId })
    await this.load()
  }

  /** Records a sign-off; throws its error for the dialog to show. */
  async signoff(input: { service: string; target: string; environment: string; note?: string }): Promise<void> {
    await api.invoke('coordination.signoff', input)
    await this.load()
  }

  /** Opens a dialog. */
  open(request: CoordinationRequest): void {
    this.request = request
  }

  close(): void {
    this.request = null
  }

  private active(): LockView[] {
    // Judged when asked: a lock that expired since the core's last answer no longer shows.
    const now = Date.now()
    return (this.state?.locks ?? []).filter((lock) => lockState(lock, now) === 'active')
  }
}

/** The app's single view of the team's picture. */
export const coordination = new CoordinationView()

/** "rosa", "rosa · stale" — who a run in progress belongs to, for badges. */
export function runOwner(run: SharedRunView): string {
  return run.stale ? `${run.by.name} · stale` : run.by.name
}
