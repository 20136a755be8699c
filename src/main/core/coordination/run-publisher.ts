import { toErrorData } from '../../../shared/errors'
import type { DeployRun } from '../../../shared/models/deploys'
import type { Logger } from '../logger'
import type { Coordination } from './coordination'

/** Starts a repeating job and returns the function that stops it (the timer port, so tests do not wait). */
export type Every = (run: () => void, everyMs: number) => () => void

const realEvery: Every = (run, everyMs) => {
  const handle = setInterval(run, everyMs)
  // Publishing never keeps the process alive on its own.
  handle.unref()
  return () => clearInterval(handle)
}

/**
 * Publishes this Trainyard's runs in progress for the team ("who is deploying now"), refreshes them while they run
 * (a heartbeat, so a teammate sees an entry whose author stopped as stale) and removes each at its end; writes the
 * lock overrides to the coordination log. Fed from the runner's `deploys.changed`; never throws and never waits:
 * a failure to share is logged and the deploy goes on.
 */
export class RunPublisher {
  private readonly published = new Map<string, DeployRun>()
  private readonly logged = new Set<string>()
  private stopHeartbeat: (() => void) | undefined
  private pending: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly coordination: Coordination,
    private readonly logger: Logger,
    private readonly options: {
      share: boolean
      heartbeatMs: number
      /** A run of this Trainyard's journal, to remove entries left by a process that ended before its run did. */
      localRun: (runId: string) => DeployRun | undefined
      every?: Every
    },
  ) {}

  /** Starts the heartbeat, and removes this machine's entries whose runs ended while nobody published it. */
  start(): void {
    if (!this.options.share || this.stopHeartbeat) return
    this.stopHeartbeat = (this.options.every ?? realEvery)(() => {
      this.heartbeat()
      this.tidy()
    }, this.options.heartbeatMs)
    this.tidy()
  }

  /** Stops the heartbeat and waits for the writes under way. Published runs stay: they still run at the provider. */
  async stop(): Promise<void> {
    this.stopHeartbeat?.()
    this.stopHeartbeat = undefined
    await this.pending
  }

  /** Follows one change of a run of this Trainyard. */
  changed(run: DeployRun): void {
    if (run.lockOverride && !this.logged.has(run.id) && run.state !== 'pending') {
      this.logged.add(run.id)
      this.later(`record the lock override of ${run.id}`, () => this.coordination.logOverride(run))
    }
    if (!this.options.share) return
    const known = this.published.get(run.id)
    switch (run.state) {
      case 'pending':
        return
      case 'triggering':
      case 'queued':
      case 'running':
        this.published.set(run.id, run)
        // A new run, or the provider's link just became known: (re)publish.
        if (!known || (run.url !== undefined && known.url === undefined))
          this.later(`publish ${run.id}`, () => this.coordination.publishRun(run))
        return
      case 'succeeded':
      case 'failed':
      case 'aborted':
      case 'unknown':
        // An unknown run is no longer followed: a person settles it, the team is not kept waiting on it.
        if (!known) return
        this.published.delete(run.id)
        this.later(`remove ${run.id}`, () => this.coordination.endRun(run))
        return
      default: {
        const never: never = run.state
        return never
      }
    }
  }

  /** Resolves once every write asked for so far has ended (for tests and close). */
  idle(): Promise<unknown> {
    return this.pending
  }

  private tidy(): void {
    this.later('tidy the runs in progress', async () => {
      const records = await this.coordination.store.read()
      for (const shared of records.runs) {
        const local = this.options.localRun(shared.runId)
        if (!local || this.published.has(local.id) || !isEnded(local.state)) continue
        await this.coordination.endRun(local)
      }
    })
  }

  private heartbeat(): void {
    for (const run of this.published.values())
      this.later(`refresh ${run.id}`, () => this.coordination.publishRun(run, true))
  }

  private later(what: string, work: () => Promise<void>): void {
    this.pending = this.pending.then(work).catch((error: unknown) => {
      this.logger.warn(`coordination: could not ${what}: ${toErrorData(error).message}`)
    })
  }
}

function isEnded(state: DeployRun['state']): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'aborted' || state === 'unknown'
}
