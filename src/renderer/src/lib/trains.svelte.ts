import type { AppErrorData } from '../../../shared/errors'
import type {
  CherryPickOutcome,
  HotfixBranchStatus,
  RegionTrains,
  TrainBoard,
  TrainPromotion,
} from '../../../shared/models/trains'
import { api } from './api'
import { errorOf } from './format'

/** "x d y h" for a duration in milliseconds. */
export function daysHours(ms: number): string {
  const hours = Math.floor(ms / 3_600_000)
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}

/** The share of the seasoning period already done, 0..1. */
export function seasonedShare(region: RegionTrains): number {
  const s = region.seasoning
  if (s === undefined) return 0
  const total = Date.parse(s.until) - Date.parse(s.since)
  return total <= 0 ? 1 : Math.min(1, Math.max(0, 1 - s.leftMs / total))
}

/** The Trains view: the board, promoting a train step by step, cutting now, and the hotfix flow. */
export class TrainsState {
  board = $state.raw<TrainBoard | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  loading = $state(false)
  /** The promotion being confirmed or run. */
  confirming = $state.raw<RegionTrains | null>(null)
  steps = $state.raw<string[]>([])
  promotion = $state.raw<TrainPromotion | null>(null)
  busy = $state(false)
  /** The hotfix flow form. */
  service = $state('')
  region = $state('')
  picks = $state('')
  /** Where step 1 creates the branch (a commit picked in the graph); empty: the train live in the region. */
  at = $state('')
  branch = $state.raw<HotfixBranchStatus | null>(null)
  pick = $state.raw<CherryPickOutcome | null>(null)
  flowError = $state.raw<AppErrorData | null>(null)

  /** Loads the board and follows train steps and deploy changes; returns the function that stops following. */
  start(): () => void {
    const stops = [
      api.on('trains.changed', ({ step }) => {
        if (this.busy) this.steps = [...this.steps, step]
      }),
      api.on('deploys.changed', () => {
        if (!this.busy) void this.load()
      }),
    ]
    void this.load()
    return () => stops.forEach((stop) => stop())
  }

  async load(): Promise<void> {
    this.loading = true
    try {
      this.board = await api.invoke('trains.board', {})
      this.error = null
      const first = this.board.hotfixes[0]
      if (this.service === '' && first) this.service = first.service
      if (this.region === '') this.region = this.board.regions[0]?.region ?? ''
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.loading = false
    }
  }

  async cut(): Promise<void> {
    await this.run(async () => {
      this.board = await api.invoke('trains.cut', {})
    })
  }

  /** Runs the confirmed promotion; steps arrive as `trains.changed` events. */
  async promote(): Promise<void> {
    const region = this.confirming
    if (!region?.next) return
    this.steps = []
    this.promotion = null
    this.busy = true
    try {
      this.promotion = await api.invoke('trains.promote', { region: region.region, trainId: region.next.id })
      this.error = null
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.busy = false
      void this.load()
    }
  }

  async createBranch(): Promise<void> {
    await this.flow(async () => {
      this.branch = await api.invoke('hotfix.create', {
        service: this.service,
        region: this.region,
        ...(this.at ? { at: this.at } : {}),
      })
    })
  }

  async pickCommits(dryRun: boolean): Promise<void> {
    const branch = this.branchName()
    const commits = this.picks.split(/[\s,]+/).filter((c) => c !== '')
    await this.flow(async () => {
      this.pick = await api.invoke('hotfix.pick', { service: this.service, branch, commits, dryRun })
    })
  }

  async push(): Promise<void> {
    const branch = this.branchName()
    await this.flow(async () => {
      this.branch = await api.invoke('hotfix.push', { service: this.service, branch })
    })
  }

  /** The hotfix branch of the chosen region, e.g. `us-release`. */
  branchName(): string {
    if (this.branch?.region === this.region) return this.branch.branch
    return this.board?.hotfixes.find((h) => h.region === this.region)?.branch ?? `${this.region}-release`
  }

  private async flow(work: () => Promise<void>): Promise<void> {
    this.flowError = null
    this.busy = true
    try {
      await work()
    } catch (error) {
      this.flowError = errorOf(error)
    } finally {
      this.busy = false
      void this.load()
    }
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy = true
    try {
      await work()
      this.error = null
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.busy = false
    }
  }
}
