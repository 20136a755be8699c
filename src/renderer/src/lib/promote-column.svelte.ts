import type { AppErrorData } from '../../../shared/errors'
import type { DeployState } from '../../../shared/models/deploys'
import {
  setStopped,
  type ReleaseSet,
  type SetPreview,
  type SetRequest,
  type SetStep,
} from '../../../shared/models/release-sets'
import { api } from './api'
import { errorOf } from './format'

/**
 * A set promotion from the matrix (a column's "Promote…", a region path's "staging → production-uk"): the core's
 * set preview (per service what ships, already there or refused; every commit by author; the release note), then
 * the set run the core drives and journals, followed live per service until it ends.
 */
export class ColumnPromotion {
  preview = $state.raw<SetPreview | null>(null)
  set = $state.raw<ReleaseSet | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  loading = $state(false)
  /** Services left out by a person (shipping ones are in by default). */
  excluded = $state.raw<string[]>([])
  /** The live state of each step's run, as `deploys.changed` tells it. */
  runStates = $state.raw<Record<string, DeployState>>({})
  copied = $state(false)
  private readonly stops: (() => void)[] = []

  constructor(
    /** The environment promoted to. */
    readonly environment: string,
    /** Where the SHAs come from: an environment, or SHAs per service (the first environment of a path). */
    readonly source: { from: string } | { shas: Record<string, string> },
  ) {}

  /** The dialog's title: "staging → production-uk", or "to dev". */
  get title(): string {
    return 'from' in this.source ? `${this.source.from} → ${this.environment}` : `to ${this.environment}`
  }

  readonly chosen = $derived(
    (this.preview?.steps ?? []).filter((s) => s.verdict === 'ships' && !this.excluded.includes(s.service)),
  )
  readonly running = $derived(this.set !== null && !setStopped(this.set.state))

  /** Previews the set. */
  async previewAll(): Promise<void> {
    this.loading = true
    this.error = null
    try {
      this.preview = await api.invoke('sets.preview', this.request())
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.loading = false
    }
  }

  toggle(service: string, include: boolean): void {
    this.excluded = include ? this.excluded.filter((s) => s !== service) : [...this.excluded, service]
  }

  /** Starts the set with the SHAs the preview showed; the core runs it, this follows it. */
  async run(): Promise<void> {
    const preview = this.preview
    if (!preview) return
    const steps = preview.steps.filter((s) => s.verdict !== 'ships' || !this.excluded.includes(s.service))
    const shas = Object.fromEntries(steps.flatMap((s) => (s.sha ? [[s.service, s.sha]] : [])))
    this.stops.push(
      api.on('sets.changed', (set) => {
        if (set.id === this.set?.id) this.set = set
      }),
      api.on('deploys.changed', ({ run }) => {
        if (run.setId !== undefined && run.setId === this.set?.id)
          this.runStates = { ...this.runStates, [run.id]: run.state }
      }),
    )
    try {
      const started = await api.invoke('sets.start', {
        ...this.request(),
        services: steps.map((s) => s.service),
        shas,
      })
      // Events may have told more already; the newest word wins.
      if (this.set === null || this.set.id !== started.id) this.set = started
      this.set = await api.invoke('sets.get', { setId: started.id })
    } catch (error) {
      this.error = errorOf(error)
    }
  }

  /** Starts nothing more of the set. */
  async abort(): Promise<void> {
    if (!this.set) return
    try {
      this.set = await api.invoke('sets.abort', { setId: this.set.id })
    } catch (error) {
      this.error = errorOf(error)
    }
  }

  /** The step of the running set for a service, if it runs. */
  stepOf(service: string): SetStep | undefined {
    return this.set?.steps.find((s) => s.service === service)
  }

  /** A step's state in words: its run's live state while it runs. */
  stepState(step: SetStep): string {
    const live = step.runId === undefined ? undefined : this.runStates[step.runId]
    return step.state === 'running' && live !== undefined ? live : step.state
  }

  async copyNote(): Promise<void> {
    if (!this.preview) return
    await navigator.clipboard.writeText(this.preview.releaseNote).catch(() => undefined)
    this.copied = true
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop()
  }

  private request(): SetRequest {
    return 'from' in this.source
      ? { to: this.environment, from: this.source.from }
      : { to: this.environment, shas: this.source.shas }
  }
}
