import type { AppErrorData } from '../../../shared/errors'
import type { DeployRun, JournalHealth } from '../../../shared/models/deploys'
import { api } from './api'
import { errorOf } from './format'
import { RunLog } from './run-log.svelte'

/** Filters of the deploy history; an empty string means "any". */
export interface DeployFilters {
  service: string
  environment: string
  state: string
}

/** The Deploys view: history newest first, filters, live updates, and one run's detail with its log. */
export class DeploysState {
  runs = $state.raw<DeployRun[]>([])
  filters = $state<DeployFilters>({ service: '', environment: '', state: '' })
  error = $state.raw<AppErrorData | null>(null)
  selected = $state.raw<DeployRun | null>(null)
  log = $state.raw<RunLog | null>(null)
  actionError = $state.raw<AppErrorData | null>(null)
  busy = $state(false)
  /** What the deploy journal had to skip, shown until a person removes the side file. */
  journal = $state.raw<JournalHealth | null>(null)

  readonly visible = $derived(this.runs.filter((run) => this.matches(run)))

  /** Loads the history and follows run changes and logs; returns the function that stops following. */
  start(): () => void {
    const stops = [
      api.on('deploys.changed', ({ run }) => this.upsert(run)),
      api.on('deploys.logged', (batch) => this.log?.add(batch)),
    ]
    void this.load()
    return () => stops.forEach((stop) => stop())
  }

  async load(): Promise<void> {
    try {
      const [runs, journal] = await Promise.all([
        api.invoke('deploys.list', { limit: 500 }),
        api.invoke('deploys.journal', {}),
      ])
      this.runs = [...runs].sort(newestFirst)
      this.journal = journal
      this.error = null
    } catch (error) {
      this.error = errorOf(error)
    }
  }

  /** Opens a run's detail and its whole log. */
  async select(runId: string): Promise<void> {
    this.actionError = null
    try {
      const { run, log } = await api.invoke('deploys.get', { runId })
      this.selected = run
      this.log = new RunLog(run.id)
      this.log.reset(log)
    } catch (error) {
      this.actionError = errorOf(error)
    }
  }

  close(): void {
    this.selected = null
    this.log = null
  }

  async abort(runId: string): Promise<void> {
    await this.act(() => api.invoke('deploys.abort', { runId }))
  }

  /** Settles an `unknown` run by hand, with what the person saw in the provider. */
  async resolve(runId: string, state: 'succeeded' | 'failed', note: string): Promise<void> {
    await this.act(() => api.invoke('deploys.resolve', { runId, state, note }))
  }

  private matches(run: DeployRun): boolean {
    const f = this.filters
    return (
      (!f.service || run.service === f.service) &&
      (!f.environment || run.environment === f.environment) &&
      (!f.state || run.state === f.state)
    )
  }

  private upsert(run: DeployRun): void {
    const known = this.runs.some((r) => r.id === run.id)
    this.runs = known ? this.runs.map((r) => (r.id === run.id ? run : r)) : [run, ...this.runs].sort(newestFirst)
    if (this.selected?.id === run.id) this.selected = run
  }

  private async act(work: () => Promise<DeployRun>): Promise<void> {
    this.busy = true
    this.actionError = null
    try {
      this.upsert(await work())
    } catch (error) {
      this.actionError = errorOf(error)
    } finally {
      this.busy = false
    }
  }
}

function newestFirst(a: DeployRun, b: DeployRun): number {
  return b.requestedAt.localeCompare(a.requestedAt)
}
