import { AppError } from '../../../shared/errors'
import type { FetchOutcome, RepoSource } from './clone/clones'

/** Starts a repeating job and returns the function that stops it (the timer port, so tests do not wait). */
export type Schedule = (run: () => void, everyMs: number) => () => void

/** What the background fetcher needs of the clones. */
export interface FetchTarget {
  fetch(source: RepoSource, opts?: { signal?: AbortSignal }): Promise<FetchOutcome>
  isBusy(service: string): boolean
}

/** Options of the background fetcher. */
export interface BackgroundFetchOptions {
  clones: FetchTarget
  /** The services to keep fresh, read at every round (the workspace may change in between). */
  sources: () => RepoSource[]
  /** Minutes between rounds (the workspace's `fetchIntervalMinutes`); 0 means never. */
  intervalMinutes: number
  onFetched?: (outcome: FetchOutcome) => void
  /** A failed fetch is reported here, never thrown. */
  onError?: (service: string, error: AppError) => void
  schedule?: Schedule
}

const realSchedule: Schedule = (run, everyMs) => {
  const handle = setInterval(run, everyMs)
  // A background fetch never keeps the process alive on its own.
  handle.unref()
  return () => clearInterval(handle)
}

/**
 * Fetches every service's clone on an interval, one round at a time and one service after another, so
 * a fetch never overlaps another fetch of the same clone; a service busy with something else is skipped
 * until the next round.
 */
export class BackgroundFetch {
  private stopTimer: (() => void) | undefined
  private round: Promise<void> | undefined
  private controller: AbortController | undefined

  constructor(private readonly options: BackgroundFetchOptions) {}

  /** Starts the interval (no-op when already started or when the interval is 0). */
  start(): void {
    if (this.stopTimer || this.options.intervalMinutes <= 0) return
    const schedule = this.options.schedule ?? realSchedule
    this.stopTimer = schedule(() => void this.runOnce(), this.options.intervalMinutes * 60_000)
  }

  /** Stops the interval, cancels the round under way and waits for it to end. */
  async stop(): Promise<void> {
    this.stopTimer?.()
    this.stopTimer = undefined
    this.controller?.abort()
    await this.round
  }

  /** Whether a round is under way. */
  get running(): boolean {
    return this.round !== undefined
  }

  /** Runs one round now; while one is under way, returns that one instead of starting another. */
  runOnce(): Promise<void> {
    if (this.round) return this.round
    const controller = new AbortController()
    this.controller = controller
    this.round = this.fetchAll(controller.signal).finally(() => {
      this.round = undefined
      this.controller = undefined
    })
    return this.round
  }

  private async fetchAll(signal: AbortSignal): Promise<void> {
    const { clones, onFetched, onError } = this.options
    for (const source of this.options.sources()) {
      if (signal.aborted) return
      if (clones.isBusy(source.service)) continue
      try {
        // Fetch first: `onFetched?.(await …)` would skip the fetch when nobody listens.
        const outcome = await clones.fetch(source, { signal })
        onFetched?.(outcome)
      } catch (error) {
        const appError =
          error instanceof AppError
            ? error
            : new AppError('internal', `The background fetch of ${source.service} failed unexpectedly.`)
        if (appError.code !== 'cancelled') onError?.(source.service, appError)
      }
    }
  }
}
