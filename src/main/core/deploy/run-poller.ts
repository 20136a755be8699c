import { isAppError } from '../../../shared/errors'
import type { DeployRun, DeployState } from '../../../shared/models/deploys'
import type { EventSink } from '../events'
import { nextDelay, pause, type PollSettings } from './backoff'
import type { DeployJournal, JournalRecord, RunChange } from './journal'
import type { DeployProvider, ProviderLogChunk, ProviderRunRef, ProviderRunState, ProviderRunStatus } from './provider'
import type { RunLogs } from './run-logs'

/** Rounds of log reading allowed after the provider says a run is final, to drain the tail. */
const DRAIN_ROUNDS = 5

/** Status reads in a row answered "no such run" before the run is given up as `unknown`. */
const MISSING_READS = 10

/** The run state Trainyard shows for a provider's state; the provider's own word goes in `detail`. */
export function deployStateOf(state: ProviderRunState): DeployState {
  switch (state) {
    case 'queued':
      return 'queued'
    case 'running':
      return 'running'
    case 'succeeded':
      return 'succeeded'
    case 'aborted':
      return 'aborted'
    case 'unstable':
    case 'failed':
    case 'timedout':
    case 'missed':
    case 'not-built':
      return 'failed'
  }
}

/** What a poller needs from the runner. */
export interface PollerContext {
  provider: DeployProvider
  journal: DeployJournal
  logs: RunLogs
  events: EventSink
  clock: () => Date
  poll: PollSettings
  signal: AbortSignal
  /** Called after each poll round (a test hook). */
  onPolled?: (run: DeployRun) => void
}

/**
 * Follows one triggered run until the provider says it is final: polls its status and tails its log
 * with backoff, journals every state change and pushes `deploys.changed` / `deploys.logged`.
 * Only reads happen here, so every failure is retried after a longer pause. Resolves with the final
 * run, or with the run as it stands when the runner closes.
 */
export class RunPoller {
  readonly done: Promise<DeployRun>
  private wakeUp = (): void => {}

  constructor(
    private readonly ctx: PollerContext,
    private readonly record: JournalRecord,
  ) {
    this.done = this.follow()
  }

  /** Polls now instead of waiting out the current pause (after an abort). */
  wake(): void {
    this.wakeUp()
  }

  private async follow(): Promise<DeployRun> {
    const { ctx, record } = this
    const runId = record.run.id
    let delay = ctx.poll.initialMs
    let cursor: string | undefined
    // Lines kept before a restart: the provider sends them again from the start, so skip that many.
    let skip = ctx.logs.lines(runId).length
    let logComplete = false
    let drainRounds = 0
    let missing = 0
    while (!ctx.signal.aborted) {
      const ref = record.ref as ProviderRunRef
      let progressed = false
      let status: ProviderRunStatus | undefined
      try {
        status = await ctx.provider.status(ref)
        missing = 0
      } catch (error) {
        // A failed read: back off and ask again; the run itself is unaffected. Unless the provider
        // keeps saying the run does not exist (deleted, or a Jenkins queue item gone): then a person decides.
        missing = isAppError(error) && error.code === 'not-found' ? missing + 1 : 0
        if (missing >= MISSING_READS) return this.lost()
      }
      if (status) progressed = this.apply(status)
      let chunk: ProviderLogChunk | undefined
      if (!logComplete) {
        try {
          chunk = await ctx.provider.log(ref, cursor)
        } catch {
          // As above: log reads are retried.
        }
      }
      if (chunk) {
        cursor = chunk.cursor
        logComplete = chunk.complete
        let lines = chunk.lines
        if (skip > 0) {
          const dropped = Math.min(skip, lines.length)
          lines = lines.slice(dropped)
          skip -= dropped
        }
        if (lines.length > 0) {
          progressed = true
          const from = ctx.logs.append(runId, lines)
          ctx.events.emit('deploys.logged', { runId, from, lines })
        }
      }
      ctx.onPolled?.(record.run)
      if (status?.final) {
        drainRounds += 1
        if (logComplete || drainRounds > DRAIN_ROUNDS) return this.end(status)
      }
      if (ctx.signal.aborted) break
      const waiting = pause(delay, ctx.signal)
      this.wakeUp = waiting.wake
      await waiting.done
      delay = nextDelay(ctx.poll, delay, progressed)
    }
    return { ...record.run }
  }

  /** Journals what changed in a non-final status; returns whether anything did. */
  private apply(status: ProviderRunStatus): boolean {
    const { run } = this.record
    const change: RunChange = {}
    const state = deployStateOf(status.state)
    if (!status.final && state !== run.state) change.state = state
    if (status.detail !== run.detail) change.detail = status.detail
    if (status.startedAt !== undefined && run.startedAt === undefined) change.startedAt = status.startedAt
    if (status.ref.url !== undefined && status.ref.url !== run.url) change.url = status.ref.url
    const refChanged = JSON.stringify(status.ref) !== JSON.stringify(this.record.ref)
    if (Object.keys(change).length === 0 && !refChanged) return false
    this.ctx.journal.append(
      { kind: 'changed', runId: run.id, change, ...(refChanged ? { ref: status.ref } : {}) },
      this.ctx.clock(),
    )
    this.ctx.events.emit('deploys.changed', { run: { ...run } })
    return true
  }

  private lost(): DeployRun {
    const { run } = this.record
    const detail = 'the provider no longer knows this run: check it, then settle this run'
    this.ctx.journal.append({ kind: 'changed', runId: run.id, change: { state: 'unknown', detail } }, this.ctx.clock())
    this.ctx.events.emit('deploys.changed', { run: { ...run } })
    return { ...run }
  }

  private end(status: ProviderRunStatus): DeployRun {
    const { run } = this.record
    const change: RunChange = {
      state: deployStateOf(status.state),
      detail: status.detail,
      endedAt: status.endedAt ?? this.ctx.clock().toISOString(),
    }
    if (status.startedAt !== undefined && run.startedAt === undefined) change.startedAt = status.startedAt
    this.ctx.journal.append({ kind: 'ended', runId: run.id, change }, this.ctx.clock())
    this.ctx.events.emit('deploys.changed', { run: { ...run } })
    return { ...run }
  }
}
