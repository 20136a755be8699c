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
  private stops: (() => void)[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private refreshLater = false

  readonly cloning = $derived(
    this.repos.filter((r) => r.state === 'missing' || r.state === 'cloning' || r.state === 'fetching'),
  )

  /** Loads the matrix and follows clones and deploys; returns the function that stops following. */
  start(): () => void {
    this.stops.push(
      api.on('repos.progressed', (p) => {
        this.progress = { ...this.progress, [p.service]: p }
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
  async load(refresh = false): Promise<void> {
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

  /** Fetches one service's repository (a "SHA missing" warning's way out). */
  async fetch(service: string): Promise<void> {
    try {
      this.repos = await api.invoke('repos.fetch', { service })
      await this.load()
    } catch (error) {
      this.error = errorOf(error)
    }
  }

  cell(service: string, environment: string): MatrixCell | undefined {
    return this.matrix?.cells.find((c) => c.service === service && c.environment === environment)
  }

  /** Picks a cell for a compare; a cell of another service starts a new pick. Picking a picked cell unpicks it. */
  pick(cell: MatrixCell): void {
    const same = (c: MatrixCell) => c.service === cell.service && c.environment === cell.environment
    if (this.picked.some(same)) this.picked = this.picked.filter((c) => !same(c))
    else if (this.picked[0]?.service !== cell.service) this.picked = [cell]
    else this.picked = [...this.picked, cell].slice(-2)
  }

  isPicked(cell: MatrixCell): boolean {
    return this.picked.some((c) => c.service === cell.service && c.environment === cell.environment)
  }

  clearPicks(): void {
    this.picked = []
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
