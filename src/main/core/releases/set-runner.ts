import { setMaxListeners } from 'node:events'
import { join } from 'node:path'
import { AppError, toErrorData } from '../../../shared/errors'
import { isStopped, type DeployRun } from '../../../shared/models/deploys'
import {
  setStopped,
  stepStateOf,
  type ReleaseSet,
  type SetPreview,
  type SetRequest,
  type SetStep,
  type SetStepPreview,
} from '../../../shared/models/release-sets'
import type { EventSink } from '../events'
import { pause } from '../deploy/backoff'
import { lockHolder, tryLock, type HeldLock } from '../deploy/lock-file'
import type { Notifier } from '../deploy/notifier'
import { describeOwner, ownerState } from '../deploy/process-owner'
import { newRunId } from '../deploy/run-ids'
import type { DeployRunner } from '../deploy/runner'
import { parallelOf, planSet, type SetPlanPorts } from './set-plan'
import { SetJournal, type SetEvent } from './set-journal'
import { endSummary, runReason, stepOfPreview } from './set-words'

/** Everything the set runner works with, all passed in. */
export interface SetRunnerOptions extends Omit<SetPlanPorts, 'previewer'> {
  /** The set journal's JSON-lines file; each set's lock file goes to `set-locks/` beside it. */
  file: string
  /** The deploy runner: every step is an ordinary promote through it (guard, locks, one trigger). */
  runner: Pick<DeployRunner, 'preview' | 'start' | 'waitForEnd' | 'get' | 'list' | 'resume'>
  notifier: Notifier
  events: EventSink
  clock: () => Date
  user: string
  /** How often a step whose run another process follows is read again, in ms. */
  pollMs: number
}

/** Told of each step change of a set this process drives (the train promotion's progress lines), and of each start. */
export type StepProgress = (step: SetStep, starting?: true) => void

const ENDED_BADLY = new Set<SetStep['state']>(['failed', 'aborted', 'unknown'])

/**
 * Runs set promotions: steps in dependency waves, at most `parallelDeploys` at once in a wave, each an ordinary
 * promote through the deploy runner. The set is journaled before its first step starts and after every change, and
 * each step's run carries the set's id, so a set resumed after a crash finds the run a step already started (in
 * the deploy journal, written before any trigger) instead of starting it again: no trigger is ever sent twice.
 * It stops at the first step that fails (nothing after it starts), holds on a step left `unknown` until a person
 * settles it and resumes the set, skips refused steps (and the steps that depend on them). One process drives a
 * set at a time (its lock file); a set whose process died is `interrupted` until someone resumes it.
 */
export class SetRunner {
  private readonly journal: SetJournal
  private readonly locksDir: string
  private readonly driving = new Map<string, Promise<ReleaseSet | undefined>>()
  private readonly progress = new Map<string, StepProgress>()
  private readonly stop = new AbortController()

  constructor(private readonly options: SetRunnerOptions) {
    this.journal = new SetJournal(options.file)
    this.locksDir = join(options.file, '..', 'set-locks')
    setMaxListeners(0, this.stop.signal)
  }

  /** What promoting the set would do, checked as each step will be; sends nothing. */
  preview(request: SetRequest): Promise<SetPreview> {
    return planSet(request, { ...this.options, previewer: this.options.runner })
  }

  /** Plans the set afresh (the SHAs of `request.shas` win) and starts it; resolves once it is journaled. */
  async start(request: SetRequest): Promise<ReleaseSet> {
    const plan = await this.preview(request)
    const label = request.from === undefined ? `to ${request.to}` : `${request.from} → ${request.to}`
    return this.startSteps(label, plan.steps, { ...request, requestedBy: request.requestedBy ?? this.options.user })
  }

  /** Starts a set of checked steps (a train's plan, or an environment's); AppError when none ships. */
  startSteps(
    label: string,
    steps: readonly SetStepPreview[],
    meta: { from?: string; to: string; requestedBy?: string; overrideLock?: { reason: string } },
    progress?: StepProgress,
  ): ReleaseSet {
    if (!steps.some((s) => s.verdict === 'ships'))
      throw new AppError('invalid-input', `Nothing to promote ${label}: every service is already there or refused.`)
    const now = this.options.clock()
    const set: ReleaseSet = {
      id: `set-${newRunId(now)}`,
      label,
      to: meta.to,
      requestedBy: meta.requestedBy ?? this.options.user,
      requestedAt: now.toISOString(),
      state: 'running',
      steps: steps.map(stepOfPreview),
    }
    if (meta.from !== undefined) set.from = meta.from
    if (meta.overrideLock) set.overrideLock = meta.overrideLock
    const claim = tryLock(this.lockOf(set.id), `running set ${set.id}`)
    if ('holder' in claim) throw new AppError('internal', `Set ${set.id} is already taken.`)
    this.changed(this.journal.append({ kind: 'planned', set }, now))
    if (progress) this.progress.set(set.id, progress)
    this.drive(set.id, claim.held)
    return this.read(set.id)
  }

  /** Takes up a set that no live process drives (interrupted, or held until a step was settled). */
  resume(setId: string): ReleaseSet {
    const set = this.read(setId)
    if (setStopped(set.state) && set.state !== 'held') return set
    if (this.driving.has(setId)) return set
    const claim = tryLock(this.lockOf(setId), `running set ${setId}`)
    if ('holder' in claim)
      throw new AppError(
        'deploy-conflict',
        `Set ${setId} is being run by ${describeOwner(claim.holder)} since ${claim.holder.since}.`,
      )
    for (const step of set.steps) if (step.runId !== undefined) this.refreshStep(setId, step)
    if (set.state === 'held') this.append({ kind: 'state', setId, state: 'running' })
    this.drive(setId, claim.held)
    return this.read(setId)
  }

  /** Asks that nothing more of the set starts; a set nobody drives ends `aborted` at once. Running steps go on. */
  abort(setId: string): ReleaseSet {
    const set = this.read(setId)
    if (setStopped(set.state) && set.state !== 'held') return set
    this.append({ kind: 'abort-requested', setId, by: this.options.user })
    if (this.driving.has(setId)) return this.read(setId)
    const claim = tryLock(this.lockOf(setId), `aborting set ${setId}`)
    // Its driver is alive elsewhere: it reads the request before starting any further step.
    if ('holder' in claim) return this.decorate(this.read(setId))
    try {
      return this.finish(setId, 'aborted')
    } finally {
      claim.held.release()
    }
  }

  /** Every set, newest first. */
  list(): ReleaseSet[] {
    return this.journal
      .all()
      .reverse()
      .map((s) => this.decorate(s))
  }

  /** One set as it stands. */
  get(setId: string): ReleaseSet {
    return this.decorate(this.read(setId))
  }

  /** Resolves with the set once this process stops driving it (ended, held, or closing). */
  async waitForEnd(setId: string): Promise<ReleaseSet> {
    return (await this.driving.get(setId)) ?? this.get(setId)
  }

  /** What the set journal had to skip, in words. */
  get notes(): readonly string[] {
    return this.journal.notes
  }

  /** Starts no further step; sets being driven stay `running` in the journal for `resume`. Call before the deploy runner closes. */
  async close(): Promise<void> {
    this.stop.abort()
    await Promise.resolve()
  }

  /** Resolves once every set this process drives has let go (after the deploy runner closed). */
  async drained(): Promise<void> {
    await Promise.all(this.driving.values())
  }

  private drive(setId: string, lock: HeldLock): void {
    const done = this.walk(setId)
      .catch((error: unknown) => this.finish(setId, 'failed', undefined, toErrorData(error).message))
      // The set journal itself failed (a full disk): the set stays as it was last written, for `resume`.
      .catch(() => this.journal.get(setId))
      .finally(() => {
        lock.release()
        this.driving.delete(setId)
        this.progress.delete(setId)
      })
    this.driving.set(setId, done)
  }

  private async walk(setId: string): Promise<ReleaseSet> {
    const waves = [...new Set(this.read(setId).steps.map((s) => s.wave))].sort((a, b) => a - b)
    for (const wave of waves) {
      const todo = this.read(setId).steps.filter(
        (s) => s.wave === wave && (s.state === 'waiting' || s.state === 'running' || s.state === 'unknown'),
      )
      await this.pool(todo, parallelOf(this.options.workspace), (step) => this.runStep(setId, step))
      if (this.stop.signal.aborted) return this.read(setId)
      const set = this.read(setId)
      const inWave = set.steps.filter((s) => s.wave === wave)
      const unknown = inWave.find((s) => s.state === 'unknown')
      if (unknown) return this.hold(setId, unknown)
      const failed = inWave.find((s) => s.state === 'failed' || s.state === 'aborted')
      if (failed) return this.finish(setId, 'failed', failed)
      if (set.abortRequested && set.steps.some((s) => s.state === 'waiting')) return this.finish(setId, 'aborted')
      this.refuseDependents(set)
    }
    const set = this.read(setId)
    return this.finish(setId, set.steps.some((s) => s.state === 'refused') ? 'partly' : 'succeeded')
  }

  /** Runs `work` on the steps, at most `limit` at once. */
  private async pool(steps: SetStep[], limit: number, work: (step: SetStep) => Promise<void>): Promise<void> {
    const queue = [...steps]
    const worker = async (): Promise<void> => {
      for (let step = queue.shift(); step; step = queue.shift()) await work(step)
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, worker))
  }

  private async runStep(setId: string, step: SetStep): Promise<void> {
    let run = this.runOf(setId, step)
    if (!run) {
      if (this.halted(setId) || step.sha === undefined) return
      const { requestedBy, overrideLock } = this.read(setId)
      const request = {
        service: step.service,
        environment: step.environment,
        target: step.sha,
        requestedBy,
        ...(overrideLock ? { overrideLock } : {}),
        ...(step.rollbackReason !== undefined ? { rollback: { reason: step.rollbackReason } } : {}),
      }
      this.progress.get(setId)?.(step, true)
      try {
        run = await this.options.runner.start(request, { setId })
      } catch (error) {
        // Refused at the last check (a lock taken, a run started meanwhile): skipped, like a refusal in the preview.
        this.stepChanged(setId, step, { state: 'refused', reason: toErrorData(error).message })
        return
      }
    }
    this.stepChanged(setId, step, { state: stepStateOf(run), runId: run.id })
    run = await this.untilStopped(run)
    if (!isStopped(run.state)) return
    const reason = runReason(run)
    this.stepChanged(setId, step, { state: stepStateOf(run), runId: run.id, ...(reason ? { reason } : {}) })
  }

  /** The run this set started for a step: recorded, or found in the deploy journal by the set's id (a crash between the two). */
  private runOf(setId: string, step: SetStep): DeployRun | undefined {
    if (step.runId !== undefined) {
      try {
        return this.options.runner.get(step.runId).run
      } catch {
        // Compacted away: fall back to the journal's runs of the target.
      }
    }
    return this.options.runner
      .list({ service: step.service, environment: step.environment })
      .find((r) => r.setId === setId)
  }

  private async untilStopped(run: DeployRun): Promise<DeployRun> {
    let current = run
    while (!isStopped(current.state) && !this.stop.signal.aborted) {
      current = await this.options.runner.waitForEnd(current.id)
      if (isStopped(current.state) || this.stop.signal.aborted) break
      // Another process follows it: read the shared journal again, and take the run up if that process died.
      await pause(this.options.pollMs, this.stop.signal).done
      this.options.runner.resume()
      current = this.options.runner.get(current.id).run
    }
    return current
  }

  /** Nothing new starts once the set is aborted, this process closes, or a step failed or is unknown. */
  private halted(setId: string): boolean {
    const set = this.read(setId)
    return (
      this.stop.signal.aborted ||
      set.abortRequested !== undefined ||
      set.steps.some((s) => ENDED_BADLY.has(s.state) && s.runId !== undefined)
    )
  }

  private refreshStep(setId: string, step: SetStep): void {
    const run = this.runOf(setId, step)
    if (!run) return
    const reason = runReason(run)
    this.stepChanged(setId, step, { state: stepStateOf(run), runId: run.id, ...(reason ? { reason } : {}) })
  }

  private refuseDependents(set: ReleaseSet): void {
    for (const step of set.steps) {
      if (step.state !== 'waiting') continue
      const needs = this.options.workspace.services.find((s) => s.name === step.service)?.dependsOn ?? []
      const refused = set.steps.find(
        (s) => s.environment === step.environment && s.state === 'refused' && needs.includes(s.service),
      )
      if (refused) {
        const reason = `depends on ${refused.service}, which was refused: it does not go without it`
        this.stepChanged(set.id, step, { state: 'refused', reason })
        step.state = 'refused'
      }
    }
  }

  private hold(setId: string, unknown: SetStep): ReleaseSet {
    const set = this.append({
      kind: 'state',
      setId,
      state: 'held',
      summary: endSummary(this.read(setId), 'held', unknown),
    })
    this.options.notifier.setEnded(set)
    return set
  }

  private finish(setId: string, state: ReleaseSet['state'], stoppedBy?: SetStep, error?: string): ReleaseSet {
    const why = state === 'aborted' ? `aborted by ${this.read(setId).abortRequested?.by ?? 'someone'}` : undefined
    for (const step of this.read(setId).steps) {
      if (step.state !== 'waiting') continue
      const reason = why ?? (stoppedBy ? `not started: ${stoppedBy.service} did not succeed` : error)
      this.stepChanged(setId, step, { state: 'not-started', ...(reason ? { reason } : {}) })
    }
    const summary = `${error ? `${error} ` : ''}${endSummary(this.read(setId), state, stoppedBy)}`
    const set = this.append({ kind: 'ended', setId, state, summary })
    this.options.notifier.setEnded(set)
    return set
  }

  private stepChanged(setId: string, step: SetStep, change: Partial<SetStep>): void {
    const { service, environment } = step
    const set = this.append({ kind: 'step', setId, service, environment, change })
    const now = set.steps.find((s) => s.service === service && s.environment === environment)
    if (now) this.progress.get(setId)?.(now)
  }

  private append(event: SetEvent): ReleaseSet {
    const set = this.journal.append(event, this.options.clock())
    this.changed(set)
    return set
  }

  private changed(set: ReleaseSet): void {
    this.options.events.emit('sets.changed', this.decorate(set))
  }

  private read(setId: string): ReleaseSet {
    const set = this.journal.get(setId)
    if (!set) throw new AppError('not-found', `There is no set ${setId}.`)
    return set
  }

  /** Marks a running set that no live process drives as interrupted. */
  private decorate(set: ReleaseSet): ReleaseSet {
    if (set.state !== 'running' || this.driving.has(set.id)) return set
    const holder = lockHolder(this.lockOf(set.id))
    return holder && ownerState(holder) !== 'dead' ? set : { ...set, interrupted: true }
  }

  private lockOf(setId: string): string {
    return join(this.locksDir, `${setId.replace(/[^\w.-]+/g, '_')}.lock`)
  }
}
