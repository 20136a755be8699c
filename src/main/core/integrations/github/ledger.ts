import { AppError } from '../../../../shared/errors'
import type { Logger } from '../../logger'
import type { GitHub } from './client'
import type { DeployEndState, DeployStartRecord, GitHubDeploymentRef } from './models'

/** Where one deploy run's record on GitHub stands. */
export type LedgerState = 'pending' | 'recorded' | 'failed'

/** A change in a run's GitHub record, for the UI ("recorded on GitHub", "GitHub unreachable, retrying"). */
export interface LedgerReport {
  runKey: string
  /** Which write: the deployment with its in_progress status, or the final status. */
  step: 'start' | 'end'
  state: LedgerState
  message?: string
  deploymentId?: number
}

/** Options of the ledger. */
export interface LedgerOptions {
  github: GitHub
  onReport?: (report: LedgerReport) => void
  /** Tries per write, the first included (default 5). */
  attempts?: number
  /** First back-off in ms, doubled each retry (default 2000). */
  backoffMs?: number
  /** Longest wait between tries, also capping a rate limit's retry time (default 120000). */
  maxBackoffMs?: number
  /** Time limit of each try in ms (default 30000). */
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
  clock?: () => Date
  /** Gets a warning when a write is given up, and unexpected failures with their stack. */
  logger?: Logger
}

/**
 * GitHub Deployments as the team's shared ledger. Writes are queued per run and retried with a
 * bounded back-off; nothing here ever throws into the deploy path — outcomes arrive through `onReport`.
 * A retried start first looks for the deployment an earlier try may have created (by run key in the
 * payload), so a flaky GitHub does not leave duplicate deployments.
 */
export interface Ledger {
  /** Queues "deploy of `sha` to `environment` started"; returns at once. */
  start(runKey: string, record: DeployStartRecord): void
  /** Queues the final status; it waits for the start to be recorded first. */
  end(runKey: string, state: DeployEndState, logUrl?: string): void
  /** Takes up a run whose deployment an earlier session recorded (after a restart), so `end` can finish it. */
  adopt(runKey: string, ref: GitHubDeploymentRef): void
  /** The latest report of a run. */
  state(runKey: string): LedgerReport | undefined
  /** Resolves once every queued write has been recorded or given up. */
  settled(): Promise<void>
}

/** Builds a Ledger over a GitHub client. */
export function createLedger(options: LedgerOptions): Ledger {
  const attempts = Math.max(1, options.attempts ?? 5)
  const backoff = options.backoffMs ?? 2000
  const maxBackoff = options.maxBackoffMs ?? 120_000
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const clock = options.clock ?? (() => new Date())
  const timeoutMs = options.timeoutMs ?? 30_000
  const call = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(timeoutMs) })
  const reports = new Map<string, LedgerReport>()
  const starts = new Map<string, Promise<GitHubDeploymentRef | undefined>>()
  const inflight = new Set<Promise<unknown>>()

  const report = (r: LedgerReport): void => {
    reports.set(r.runKey, r)
    try {
      options.onReport?.(r)
    } catch {
      // A listener's failure must not break the ledger.
    }
  }

  async function withRetry<T>(
    runKey: string,
    step: 'start' | 'end',
    write: (attempt: number) => Promise<T>,
  ): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(attempt)
      } catch (error) {
        const e =
          error instanceof AppError
            ? error
            : new AppError('internal', 'Recording the deploy on GitHub failed unexpectedly.')
        const retryable = e.code === 'endpoint-unreachable' || e.code === 'timeout'
        if (!retryable || attempt >= attempts) {
          options.logger?.warn(`GitHub ledger gave up on run ${runKey} (${step}): ${e.message}`)
          report({
            runKey,
            step,
            state: 'failed',
            message: retryable ? `${e.message} Gave up after ${attempt} tries.` : e.message,
          })
          return undefined
        }
        const wait = Math.min(maxBackoff, retryDelay(e, clock()) ?? backoff * 2 ** (attempt - 1))
        report({ runKey, step, state: 'pending', message: `${e.message} Retrying in ${Math.ceil(wait / 1000)} s.` })
        await sleep(wait)
      }
    }
  }

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p)
    void p.finally(() => inflight.delete(p))
    return p
  }

  return {
    start(runKey, record) {
      report({ runKey, step: 'start', state: 'pending' })
      const payload = { ...record.payload, trainyardRun: runKey }
      const p = withRetry(runKey, 'start', async (attempt) => {
        if (attempt > 1) {
          const existing = await options.github.findDeployment(
            record.owner,
            record.repo,
            record.sha,
            record.environment,
            runKey,
            call(),
          )
          if (existing) {
            await options.github.setDeploymentStatus(existing, 'in_progress', record.logUrl, call())
            return existing
          }
        }
        return options.github.recordDeployStart({ ...record, payload }, call())
      }).then((ref) => {
        if (ref) report({ runKey, step: 'start', state: 'recorded', deploymentId: ref.id })
        return ref
      })
      starts.set(runKey, track(p))
    },

    end(runKey, state, logUrl) {
      const started = starts.get(runKey)
      const p = (async () => {
        const ref = await started
        if (!ref) {
          report({
            runKey,
            step: 'end',
            state: 'failed',
            message: 'The deploy was never recorded on GitHub, so its outcome cannot be either.',
          })
          return
        }
        report({ runKey, step: 'end', state: 'pending', deploymentId: ref.id })
        const done = await withRetry(runKey, 'end', () =>
          options.github.recordDeployEnd(ref, state, logUrl, call()).then(() => true),
        )
        if (done) report({ runKey, step: 'end', state: 'recorded', deploymentId: ref.id })
      })()
      void track(p)
    },

    adopt(runKey, ref) {
      starts.set(runKey, Promise.resolve(ref))
    },

    state: (runKey) => reports.get(runKey),

    async settled() {
      while (inflight.size > 0) await Promise.allSettled([...inflight])
    },
  }
}

function retryDelay(error: AppError, now: Date): number | undefined {
  const details = error.details as { retryAt?: string } | undefined
  if (!details?.retryAt) return undefined
  return Math.max(0, new Date(details.retryAt).getTime() - now.getTime())
}
