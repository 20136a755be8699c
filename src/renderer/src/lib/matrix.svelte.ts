import type { RepoProgress, RepoStatus } from '../../../shared/api/views'
import type { AppErrorData } from '../../../shared/errors'
import type { Matrix, MatrixCell } from '../../../shared/models/environments'
import { api } from './api'
import { errorOf } from './format'
import { isStopped } from '../../../shared/models/deploys'

/** The home screen's state: what runs where, clone progress, and which cells are picked for a compare. */
export class MatrixState {
  matrix = $state.raw<Matrix | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  loading = $state(false)
  progress = $state<Record<string, RepoProgress>>({})
  repos = $state.raw<RepoStatus[]>([])
  /** Cells picked for a compare, oldest first (at most two). */
  picked = $state.raw<MatrixCell[]>([])
  /** The cell whose history and actions are open. */
  opened = $state.raw<MatrixCell | null>(null)
  /** A "Fetch all" under way. */
  fetchingAll = $state(false)
  private stops: (() => void)[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private refreshLater = false
  private queue: Promise<void> = Promise.resolve()

  readonly cloning = $derived(this.repos.filter((r) => r.state !== 'ready' && r.state !== 'failed'))

  /** Loads the matrix and follows clones and deploys; returns the function that stops following. */
  start(): () => void {
    this.stops.push(
      api.on('repos.progressed', (p) => {
        this.progress = { ...this.progress, [p.service]: p }
        const state = p.operation === 'clone' ? 'cloning' : 'fetching'
        if (this.repos.some((r) => r.service === p.service && r.state !== state))
          this.repos = this.repos.map((r) => (r.service === p.service ? { ...r, state } : r))
      }),
      api.on('repos.fetched', (status) => {
        const { [status.service]: _done, ...rest } = this.progress
        this.progress = rest
        this.repos = this.repos.some((r) => r.service === status.service)
          ? this.repos.map((r) => (r.service === status.service ? status : r))
          : [...this.repos, status]
        // The core's probe cache keeps "not in the clone" answers from before the clone existed: read again.
        this.later(true)
      }),
      // A finished run changed what an environment runs: read the probes again rather than the cache.
      api.on('deploys.changed', ({ run }) => this.later(isStopped(run.state))),
    )
    void this.load()
    void this.loadRepos()
    return () => {
      this.stops.forEach((stop) => stop())
      this.stops = []
      clearTimeout(this.timer)
    }
  }

  /** Queries the matrix again; with `refresh`, every probe is read fresh instead of from the cache. */
  load(refresh = false): Promise<void> {
    // One query at a time, in the order asked: a quick cached answer must not land before, then under, a slow fresh one.
    const next = this.queue.then(() => this.query(refresh))
    this.queue = next
    return next
  }

  /** Fetches every service, one after another (cloning those without a clone); the rest show as queued meanwhile. */
  async fetchAll(): Promise<void> {
    this.fetchingAll = true
    this.repos = this.repos.map((r) => (r.state === 'ready' || r.state === 'failed' ? r : { ...r, state: 'queued' }))
    try {
      this.repos = await api.invoke('repos.fetch', {})
      this.error = null
      await this.load(true)
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.fetchingAll = false
    }
  }

  /** The clone state of a service, as last reported. */
  repoOf(service: string): RepoStatus | undefined {
    return this.repos.find((r) => r.service === service)
  }

  /** Fetches one service's repository (a "SHA missing" warning's way out). */
  async fetch(service: string): Promise<void> {
    try {
      this.repos = await api.invoke('repos.fetch', { service })
      await this.load()
    } catch (error) {
      this.error = errorOf(error)
    }
  }

  /**
   * What to offer to deploy to a cell: what the environment before it in a region path runs (the next step of the
   * promotion), or for the first environment of a path the service's default branch.
   */
  suggestedTarget(service: string, environment: string, defaultBranch: string | undefined): string {
    const path = this.matrix?.regions.find((r) => r.path.includes(environment))?.path ?? []
    const previous = path[path.indexOf(environment) - 1]
    const before = previous === undefined ? undefined : this.cell(service, previous)
    return (
      before?.probe.sha?.slice(0, 7) ??
      before?.probe.raw ??
      defaultBranch ??
      this.cell(service, environment)?.shortSha ??
      ''
    )
  }

  cell(service: string, environment: string): MatrixCell | undefined {
    return this.matrix?.cells.find((c) => c.service === service && c.environment === environment)
  }

  /** Compares a cell with another cell of its service, or (without one) with a branch, tag or SHA typed in the panel. */
  compare(cell: MatrixCell, other?: MatrixCell): void {
    this.picked = other ? [cell, other] : [cell]
  }

  isPicked(cell: MatrixCell): boolean {
    return this.picked.some((c) => c.service === cell.service && c.environment === cell.environment)
  }

  clearPicks(): void {
    this.picked = []
  }

  private async query(refresh: boolean): Promise<void> {
    this.loading = true
    try {
      this.matrix = await api.invoke('environments.matrix', refresh ? { refresh: true } : {})
      this.error = null
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.loading = false
    }
  }

  private async loadRepos(): Promise<void> {
    try {
      this.repos = await api.invoke('repos.status', {})
    } catch {
      // Clone state only adds progress bars; the matrix says the rest.
    }
  }

  // Several events often arrive together (four clones, a run's states): one query covers them.
  private later(refresh = false): void {
    this.refreshLater ||= refresh
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      void this.load(this.refreshLater)
      this.refreshLater = false
    }, 250)
  }
}
