import type { AppErrorData } from '../../../shared/errors'
import { isStopped, type DeployRun, type PromotePreview, type PromoteRequest } from '../../../shared/models/deploys'
import { api } from './api'
import { errorOf } from './format'
import { previewVerdict } from './preview-verdict'
import { RunLog } from './run-log.svelte'

/** Where a promote stands: choosing the target, reading the preview, or following the run. */
export type PromoteStep = 'choose' | 'preview' | 'run'

/** One promote of a service to an environment: pick a SHA → preview → confirm → live log → result. */
export class PromoteState {
  step = $state<PromoteStep>('choose')
  target = $state('')
  preview = $state.raw<PromotePreview | null>(null)
  run = $state.raw<DeployRun | null>(null)
  log = $state.raw<RunLog | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  busy = $state(false)
  /** A rollback is only sent after the person chose it explicitly and gave a reason. */
  rollbackChosen = $state(false)
  reason = $state('')
  /** Going ahead over the target's locks needs an explicit choice and a reason (recorded in the journal). */
  overrideChosen = $state(false)
  overrideReason = $state('')
  /** "Roll back and lock": lock the service there once the rollback started. */
  lockAfterRollback = $state(false)
  /** When nobody can tell what the environment runs, a first deploy is only sent once the person says it is one. */
  firstDeployChosen = $state(false)
  private stops: (() => void)[] = []

  readonly finished = $derived(this.run !== null && isStopped(this.run.state))
  readonly canConfirm = $derived(
    this.preview !== null &&
      // A rollback goes only with the explicit choice and a reason; a lock, with an explicit override and its reason;
      // an unknown current SHA, with the explicit first-deploy choice.
      previewVerdict(this.preview, {
        lockOverride: this.overrideChosen && this.overrideReason.trim().length > 0,
        firstDeploy: this.firstDeployChosen,
      }).verdict !== 'refused' &&
      (this.preview.kind !== 'rollback' || (this.rollbackChosen && this.reason.trim().length > 0)),
  )

  constructor(
    readonly service: string,
    readonly environment: string,
    suggested: string,
  ) {
    this.target = suggested
  }

  /** Asks the core what the promote would do. */
  async loadPreview(): Promise<void> {
    await this.busyWith(async () => {
      this.preview = await api.invoke('deploys.preview', this.request())
      this.rollbackChosen = false
      this.firstDeployChosen = false
      this.step = 'preview'
    })
  }

  /** Starts the deploy and follows its log and state until it ends. */
  async confirm(): Promise<void> {
    if (!this.canConfirm) return
    await this.busyWith(async () => {
      this.follow()
      const run = await api.invoke('deploys.start', this.request())
      this.take(run)
      if (this.lockAfterRollback && run.rollback) {
        const scope = { kind: 'service' as const, service: this.service, environment: this.environment }
        await api.invoke('coordination.lock', { scope, reason: `Rolled back: ${run.rollback.reason}` })
      }
      this.step = 'run'
      const { log } = await api.invoke('deploys.get', { runId: run.id })
      if (this.log && this.log.lines.length < log.length) this.log.reset(log)
    })
  }

  /** Aborts the running deploy. */
  async abort(): Promise<void> {
    const run = this.run
    if (!run) return
    await this.busyWith(async () => this.take(await api.invoke('deploys.abort', { runId: run.id })))
  }

  back(): void {
    this.step = 'choose'
    this.preview = null
    this.error = null
  }

  stop(): void {
    this.stops.forEach((stop) => stop())
    this.stops = []
  }

  private request(): PromoteRequest {
    const rollback =
      this.preview?.kind === 'rollback' && this.rollbackChosen ? { rollback: { reason: this.reason.trim() } } : {}
    const override =
      this.overrideChosen && this.overrideReason.trim() ? { overrideLock: { reason: this.overrideReason.trim() } } : {}
    const first = this.firstDeployChosen ? { firstDeploy: true } : {}
    return {
      service: this.service,
      environment: this.environment,
      target: this.target.trim(),
      ...rollback,
      ...override,
      ...first,
    }
  }

  // Events may arrive before `deploys.start` answers: keep them until the run's id is known.
  private early: { lines: Parameters<RunLog['add']>[0][]; runs: DeployRun[] } = { lines: [], runs: [] }

  private follow(): void {
    this.stop()
    this.stops.push(
      api.on('deploys.logged', (batch) => (this.log ? this.log.add(batch) : this.early.lines.push(batch))),
      api.on('deploys.changed', ({ run }) => {
        if (!this.run) this.early.runs.push(run)
        else if (run.id === this.run.id) this.run = run
      }),
    )
  }

  private take(run: DeployRun): void {
    if (!this.log || this.log.runId !== run.id) {
      this.log = new RunLog(run.id)
      this.early.lines.forEach((batch) => this.log?.add(batch))
    }
    const latest = [...this.early.runs].reverse().find((r) => r.id === run.id)
    this.early = { lines: [], runs: [] }
    this.run = latest && isStopped(latest.state) ? latest : run
  }

  private async busyWith(work: () => Promise<void>): Promise<void> {
    this.busy = true
    this.error = null
    try {
      await work()
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.busy = false
    }
  }
}
