import type { AppErrorData } from '../../../shared/errors'
import type {
  RegionTrains,
  TrainBoard,
  TrainPromotion,
  TrainPromotionPlan,
  TrainStatus,
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

/** The train a region's promotion dialog is about. */
export interface PromotionTarget {
  region: RegionTrains
  trainId: string
  trainName: string
}

/** The Trains view: the board, cutting the next train early, and promoting a train step by step. */
export class TrainsState {
  board = $state.raw<TrainBoard | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  loading = $state(false)
  /** Whether "Cut the train now" waits for the person's confirmation. */
  confirmingCut = $state(false)
  /** The promotion being previewed, confirmed or run. */
  confirming = $state.raw<PromotionTarget | null>(null)
  plan = $state.raw<TrainPromotionPlan | null>(null)
  planError = $state.raw<AppErrorData | null>(null)
  steps = $state.raw<string[]>([])
  /** The deploy run of the step now running, for Abort. */
  runId = $state<string | null>(null)
  promotion = $state.raw<TrainPromotion | null>(null)
  busy = $state(false)

  /** The planned train whose scheduled cut is the board's next cut: what "Cut the train now" freezes. */
  readonly nextToCut = $derived<TrainStatus | undefined>(
    this.board?.trains.find((t) => t.phase === 'planned' && t.train.cutAt === this.board?.nextCut),
  )

  /** Loads the board and follows train steps and deploy changes; returns the function that stops following. */
  start(): () => void {
    const stops = [
      api.on('trains.changed', ({ step, runId }) => {
        if (!this.busy || this.confirming === null) return
        this.steps = [...this.steps, step]
        if (runId !== undefined) this.runId = runId
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
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.loading = false
    }
  }

  /** Cuts the next train now; only after the person confirmed it. */
  async cut(): Promise<void> {
    this.confirmingCut = false
    this.busy = true
    try {
      this.board = await api.invoke('trains.cut', {})
      this.error = null
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.busy = false
    }
  }

  /** Opens the promotion of a region's next train and asks the core for its plan, checked as the run will be. */
  async open(region: RegionTrains): Promise<void> {
    if (region.next === undefined) return
    this.confirming = { region, trainId: region.next.id, trainName: region.next.name }
    this.plan = null
    this.planError = null
    this.promotion = null
    this.steps = []
    this.runId = null
    try {
      this.plan = await api.invoke('trains.preview', { region: region.region, trainId: region.next.id })
    } catch (error) {
      this.planError = errorOf(error)
    }
  }

  close(): void {
    this.confirming = null
    this.plan = null
    this.planError = null
  }

  /** Runs the previewed promotion; steps arrive as `trains.changed` events. */
  async promote(): Promise<void> {
    const target = this.confirming
    if (target === null || this.plan === null || this.plan.refusals.length > 0) return
    this.steps = []
    this.promotion = null
    this.busy = true
    try {
      this.promotion = await api.invoke('trains.promote', { region: target.region.region, trainId: target.trainId })
      this.planError = null
    } catch (error) {
      this.planError = errorOf(error)
    } finally {
      this.busy = false
      this.runId = null
      void this.load()
    }
  }

  /** Aborts the deploy of the step now running: the promotion then stops there. */
  async abort(): Promise<void> {
    const runId = this.runId
    if (runId === null) return
    try {
      await api.invoke('deploys.abort', { runId })
    } catch (error) {
      this.planError = errorOf(error)
    }
  }
}
