import { setMaxListeners } from 'node:events'
import { dirname, join } from 'node:path'
import { AppError } from '../../../shared/errors'
import {
  isFinal,
  isStopped,
  type DeployRun,
  type JournalHealth,
  type PromotePreview,
  type PromoteRequest,
} from '../../../shared/models/deploys'
import type { EventSink } from '../events'
import { pause, type PollSettings } from './backoff'
import { deployRequest, type ProviderBinding } from './deploy-request'
import { refuseIfBlocked } from './guard'
import { DeployJournal, type JournalOptions, type JournalRecord } from './journal'
import type { Notifier } from './notifier'
import type { ProviderDeployRequest } from './provider'
import {
  bindingFor,
  checkRequest,
  newRun,
  previewOf,
  refuseIfProviderBusy,
  type PromoteCheckPorts,
} from './promote-check'
import { recordTriggerFailure, settleUnfollowable } from './unanswered-runs'
import { RunLogs } from './run-logs'
import { RunPoller } from './run-poller'
import { activityOf, activeBlocker, keyOf, listRuns, type RunFilter } from './run-queries'
import { TargetLocks, targetBusy, type Target } from './target-locks'

export { deployRequest, type ProviderBinding } from './deploy-request'

/** Points in a promote where a test may stop the process: after the guard, after the `triggering` line, after the trigger answered, after each poll. */
export type RunnerStep = 'guarded' | 'journaled' | 'triggered' | 'polled'

/** Everything the runner works with, all passed in. */
export interface DeployRunnerOptions extends PromoteCheckPorts {
  /** The journal's JSON-lines file; run logs go to `deploy-logs/` and target locks to `deploy-locks/` beside it. */
  journalFile: string
  notifier: Notifier
  events: EventSink
  clock: () => Date
  /** Who asks when a request does not say. */
  user: string
  poll: PollSettings
  /** Compaction settings of the journal. */
  journal?: Omit<JournalOptions, 'onNote' | 'onRemote'>
  /** How long an abort sent for a run another process follows waits for that process to record the end (default 60 s). */
  abortWaitMs?: number
  /** Test hook, called at each step of a promote. */
  onStep?: (step: RunnerStep, run: DeployRun) => void
}

/**
 * Runs promotes: guard, journal, one trigger, then polling and log tailing until the provider says the run is
 * final. A trigger is sent at most once per run, whatever happens: a run whose trigger may or may not have
 * reached the provider becomes `unknown` until a person settles it with `resolve`.
 *
 * Safe with several processes on one journal (the app and CLIs): a promote holds its target's lock file from
 * before the guard until this process stops following the run, so one run at a time per service × environment
 * across processes; the journal is re-read under its own lock before every decision. Only the holder of a
 * target follows, settles or gives up its run; a run whose holder died is taken over by the next process.
 */
export class DeployRunner {
  private readonly journal: DeployJournal
  private readonly logs: RunLogs
  private readonly targets: TargetLocks
  private readonly starting = new Set<string>()
  private readonly pollers = new Map<
    string,
    { poller: RunPoller; binding: ProviderBinding; ended: Promise<DeployRun>; target: Target }
  >()
  private readonly stop = new AbortController()
  /** Another process changed a run since the tray was last told. */
  private remoteChanges = true

  constructor(private readonly options: DeployRunnerOptions) {
    const dir = dirname(options.journalFile)
    this.journal = DeployJournal.open(options.journalFile, {
      ...options.journal,
      onNote: (note) =>
        options.events.emit('notifications.shown', { title: 'Deploy journal', body: note, kind: 'failed' }),
      onRemote: (record) => {
        this.remoteChanges = true
        options.events.emit('deploys.changed', { run: { ...record.run }, remote: true })
      },
    })
    this.logs = new RunLogs(join(dir, 'deploy-logs'))
    this.targets = new TargetLocks(join(dir, 'deploy-locks'))
    // Every poller's pause listens on this signal: many runs at once are expected, not a leak.
    setMaxListeners(0, this.stop.signal)
  }

  /** What replaying the journal had to skip (damage, a torn last line after a crash), in words. */
  get journalNotes(): readonly string[] {
    return this.journal.notes
  }

  /** What the journal had to skip: this process's findings, every note kept with the skipped bytes, and their file. */
  journalHealth(): JournalHealth {
    this.journal.sync()
    return {
      found: [...this.journal.notes],
      setAside: this.journal.setAsideNotes(),
      damagedFile: this.journal.damagedFile,
    }
  }

  /**
   * Takes up unfinished runs that no live process owns: polls triggered ones, marks half-triggered ones `unknown`,
   * fails ones never sent. A run another live process follows is left alone.
   */
  resume(): DeployRun[] {
    this.journal.sync()
    const resumed: DeployRun[] = []
    for (const record of this.journal.all()) {
      const { run } = record
      if (isStopped(run.state) || this.pollers.has(run.id) || this.targets.holds(run)) continue
      if ('holder' in this.targets.claim(run, `following deploy run ${run.id}`)) continue
      this.adopt(record)
      resumed.push({ ...record.run })
    }
    if (resumed.length > 0 || this.remoteChanges) this.reportActivity()
    this.remoteChanges = false
    return resumed
  }

  /** What a promote would do and what would refuse it, without doing it. */
  async preview(request: PromoteRequest): Promise<PromotePreview> {
    bindingFor(this.options, request)
    this.journal.sync()
    const check = await this.check(request)
    const busy = activeBlocker(this.journal.all(), request.service, request.environment)
    const holder = busy || this.targets.holds(request) ? undefined : this.targets.holder(request)
    const blockers = busy ? [busy] : holder ? [targetBusy(request, holder).toData()] : []
    return previewOf(check, request, this.runs(), blockers)
  }

  /**
   * Starts a promote and resolves once the provider answered the trigger (or refused it, or the answer was lost:
   * then the run is `failed` or `unknown`). Throws AppError when the guard refuses, another run of this
   * service × environment is active or being started in any process (`deploy-conflict`), or the provider reports
   * the job already running for this environment.
   */
  async start(request: PromoteRequest, step?: { setId: string }): Promise<DeployRun> {
    bindingFor(this.options, request)
    const claim = this.targets.claim(request, `promoting ${request.service} to ${request.environment}`)
    if ('holder' in claim) {
      this.journal.sync()
      const busy = activeBlocker(this.journal.all(), request.service, request.environment)
      throw busy ? new AppError(busy.code, busy.message, busy.details) : targetBusy(request, claim.holder)
    }
    const key = keyOf(request)
    this.starting.add(key)
    try {
      return await this.startHeld(request, step)
    } finally {
      this.starting.delete(key)
      this.letGo(request)
    }
  }

  /** Asks the provider to abort a run and resolves with the run once it is final (or as it stands after a while, when another process follows it). */
  async abort(runId: string): Promise<DeployRun> {
    this.journal.sync()
    const record = this.recordOf(runId)
    if (isFinal(record.run.state)) return { ...record.run }
    if (!this.pollers.has(runId) && 'held' in this.targets.claim(record.run, `aborting deploy run ${runId}`))
      this.adopt(record)
    const following = this.pollers.get(runId)
    const binding = following?.binding ?? this.options.providerFor(record.run.service, record.run.environment)
    if (!record.ref || !binding || isStopped(record.run.state)) {
      throw new AppError(
        'deploy-conflict',
        `Run ${runId} is ${record.run.state}: Trainyard cannot abort it; check the provider.`,
      )
    }
    this.journal.append({ kind: 'abort-requested', runId, by: this.options.user }, this.now())
    await binding.provider.abort(record.ref)
    if (following) {
      following.poller.wake()
      return following.ended
    }
    // Another live process follows the run: it sees the abort at its next poll and records the end.
    return this.untilStopped(runId)
  }

  /** Settles an `unknown` run by a person's word after checking the provider. */
  resolve(runId: string, state: 'succeeded' | 'failed', note: string): DeployRun {
    if (note.trim() === '')
      throw new AppError('invalid-input', 'Say how you know: the note is recorded in the deploy journal.')
    this.journal.sync()
    const { run } = this.recordOf(runId)
    const claim = this.targets.claim(run, `settling deploy run ${runId}`)
    if ('holder' in claim) throw targetBusy(run, claim.holder)
    try {
      this.journal.locked(() => {
        const record = this.recordOf(runId)
        if (record.run.state !== 'unknown')
          throw new AppError(
            'invalid-input',
            `Run ${runId} is ${record.run.state}; only an unknown run can be settled by hand.`,
          )
        this.journal.append({ kind: 'resolved', runId, state, note, by: this.options.user }, this.now())
      })
    } finally {
      this.letGo(run)
    }
    const settled = this.recordOf(runId).run
    this.changed(settled)
    this.reportActivity()
    return { ...settled }
  }

  /** Runs in the journal, newest first. */
  list(filter: RunFilter = {}): DeployRun[] {
    this.journal.sync()
    return listRuns(this.journal.all(), filter)
  }

  /** One run and its log. */
  get(runId: string): { run: DeployRun; log: string[] } {
    this.journal.sync()
    return { run: { ...this.recordOf(runId).run }, log: [...this.logs.lines(runId)] }
  }

  /** Resolves with the run once it is final (or as it stands when the runner closes). */
  async waitForEnd(runId: string): Promise<DeployRun> {
    return this.pollers.get(runId)?.ended ?? { ...this.recordOf(runId).run }
  }

  /** Stops polling (runs stay unfinished in the journal, for `resume` here or in another process) and closes the journal. */
  async close(): Promise<void> {
    this.stop.abort()
    await Promise.all([...this.pollers.values()].map((p) => p.ended))
    this.targets.releaseAll()
    this.journal.close()
  }

  private async startHeld(request: PromoteRequest, step?: { setId: string }): Promise<DeployRun> {
    const binding = bindingFor(this.options, request)
    this.journal.sync()
    // A run left unfinished by a process that died: take it up first; the promote waits while it is active.
    for (const left of this.unfinished(request)) this.adopt(left)
    const busy = activeBlocker(this.journal.all(), request.service, request.environment)
    if (busy) throw new AppError(busy.code, busy.message, busy.details)
    const { sha, current, assessment, gated } = await this.check(request)
    refuseIfBlocked(assessment)
    refuseIfBlocked({ ...assessment, blockers: gated?.blockers ?? [] })
    await refuseIfProviderBusy(binding, request)
    // Filled now, so a bad template refuses the promote before anything is journaled or sent.
    const providerRequest: ProviderDeployRequest = deployRequest(binding, sha)
    const run = newRun(request, sha, current.sha, assessment, binding, this.options.user, this.now())
    if (step) run.setId = step.setId
    if (gated?.lockOverride) run.lockOverride = gated.lockOverride
    this.options.onStep?.('guarded', run)
    const record = this.journal.locked(() => {
      this.journal.append({ kind: 'requested', run }, this.now())
      return this.journal.append({ kind: 'triggering', runId: run.id }, this.now())
    })
    this.changed(record.run)
    this.options.onStep?.('journaled', record.run)
    try {
      const ref = await binding.provider.trigger(providerRequest)
      this.options.onStep?.('triggered', record.run)
      this.journal.append(
        {
          kind: 'triggered',
          runId: run.id,
          ref,
          change: ref.url ? { state: 'queued', url: ref.url } : { state: 'queued' },
        },
        this.now(),
      )
    } catch (error) {
      this.triggerFailed(record, error)
      return { ...record.run }
    }
    this.changed(record.run)
    this.follow(record, binding)
    this.reportActivity()
    return { ...record.run }
  }

  /** Takes up a run whose target this process now holds: follows it when it can, else settles it as far as it can. */
  private adopt(record: JournalRecord): void {
    this.journal.sync()
    const { run } = record
    if (!isStopped(run.state) && !this.pollers.has(run.id)) {
      const binding = this.options.providerFor(run.service, run.environment)
      if (record.ref && binding) this.follow(record, binding)
      else {
        settleUnfollowable(this.journal, record, binding !== undefined, this.now())
        this.changed(run)
      }
    }
    this.letGo(run)
  }

  /** Releases a target this process neither starts nor follows a run of. */
  private letGo(target: Target): void {
    const key = keyOf(target)
    if (this.starting.has(key) || [...this.pollers.values()].some((p) => keyOf(p.target) === key)) return
    this.targets.release(target)
  }

  private unfinished(target: Target): JournalRecord[] {
    return this.journal
      .all()
      .filter(
        (r) =>
          r.run.service === target.service &&
          r.run.environment === target.environment &&
          !isStopped(r.run.state) &&
          !this.pollers.has(r.run.id),
      )
  }

  private async untilStopped(runId: string): Promise<DeployRun> {
    const deadline = Date.now() + (this.options.abortWaitMs ?? 60_000)
    let delay = this.options.poll.initialMs
    while (!this.stop.signal.aborted && Date.now() < deadline) {
      await pause(delay, this.stop.signal).done
      this.journal.sync()
      if (isStopped(this.recordOf(runId).run.state)) break
      delay = Math.min(delay * 2, this.options.poll.maxMs)
    }
    return { ...this.recordOf(runId).run }
  }

  private follow(record: JournalRecord, binding: ProviderBinding): void {
    const { run } = record
    const onPolled = this.options.onStep ? (r: DeployRun) => this.options.onStep?.('polled', r) : undefined
    const poller = new RunPoller(
      {
        provider: binding.provider,
        journal: this.journal,
        logs: this.logs,
        events: this.options.events,
        clock: this.options.clock,
        poll: this.options.poll,
        signal: this.stop.signal,
        ...(onPolled ? { onPolled } : {}),
      },
      record,
    )
    const target = { service: run.service, environment: run.environment }
    const ended = poller.done.then((final) => {
      this.pollers.delete(run.id)
      this.letGo(target)
      if (final.state === 'unknown') this.reportActivity()
      if (!isFinal(final.state)) return final
      this.logs.forget(run.id)
      // A set's step: the set says how it ended, once, for all its steps.
      if (final.setId === undefined) this.options.notifier.runEnded(final)
      this.reportActivity()
      return final
    })
    this.pollers.set(run.id, { poller, binding, ended, target })
  }

  private triggerFailed(record: JournalRecord, error: unknown): void {
    const state = recordTriggerFailure(this.journal, record, error, this.now())
    this.changed(record.run)
    if (state === 'failed' && record.run.setId === undefined) this.options.notifier.runEnded({ ...record.run })
    this.reportActivity()
  }

  private check(request: PromoteRequest) {
    return checkRequest(this.options, this.runs(), request, (id) => !!this.journal.get(id))
  }

  private recordOf(runId: string): JournalRecord {
    const record = this.journal.get(runId)
    if (!record) throw new AppError('not-found', `There is no deploy run ${runId}.`)
    return record
  }

  private runs(): DeployRun[] {
    return this.journal.all().map((r) => r.run)
  }

  private changed(run: DeployRun): void {
    this.options.events.emit('deploys.changed', { run: { ...run } })
  }

  private reportActivity(): void {
    this.options.notifier.activity(activityOf(this.runs()))
  }

  private now(): Date {
    return this.options.clock()
  }
}
