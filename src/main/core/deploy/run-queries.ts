import type { AppErrorData } from '../../../shared/errors'
import { isFinal, isStopped, type DeployRun } from '../../../shared/models/deploys'
import type { DeployActivity } from './notifier'
import type { JournalRecord } from './journal'

/** Which runs `list` returns. */
export interface RunFilter {
  service?: string
  environment?: string
  state?: string
  limit?: number
}

/** The lock key of one service × environment. */
export function keyOf(target: { service: string; environment: string }): string {
  return `${target.service}\u0000${target.environment}`
}

/** Runs matching a filter, newest request first. */
export function listRuns(records: JournalRecord[], filter: RunFilter): DeployRun[] {
  const runs = records
    .map((r) => r.run)
    .filter(
      (r) =>
        (filter.service === undefined || r.service === filter.service) &&
        (filter.environment === undefined || r.environment === filter.environment) &&
        (filter.state === undefined || r.state === filter.state),
    )
    .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : a.id < b.id ? 1 : -1))
    .map((r) => ({ ...r }))
  return filter.limit === undefined ? runs : runs.slice(0, filter.limit)
}

/** Why a service × environment is busy: an unfinished (or unknown) run in the journal. */
export function activeBlocker(
  records: JournalRecord[],
  service: string,
  environment: string,
): AppErrorData | undefined {
  const active = records.find(
    (r) => r.run.service === service && r.run.environment === environment && !isFinal(r.run.state),
  )
  if (!active) return undefined
  const { run } = active
  const message =
    run.state === 'unknown'
      ? `Run ${run.id} of ${service} to ${environment} is unknown: check the provider and settle it before promoting again.`
      : `Run ${run.id} of ${service} to ${environment} is ${run.state}; wait for it to finish or abort it.`
  return { code: 'deploy-conflict', message, details: { runId: run.id } }
}

/** The newest run that succeeded in one service × environment (settled by a person included). */
export function lastSuccess(runs: DeployRun[], service: string, environment: string): DeployRun | undefined {
  let last: DeployRun | undefined
  for (const run of runs) {
    if (run.service !== service || run.environment !== environment || run.state !== 'succeeded') continue
    if (!last || (run.endedAt ?? run.requestedAt) >= (last.endedAt ?? last.requestedAt)) last = run
  }
  return last
}

/** What the tray shows: runs in progress and the latest failure. */
export function activityOf(runs: DeployRun[]): DeployActivity {
  const running = runs.filter((r) => !isStopped(r.state) && r.state !== 'pending').map((r) => ({ ...r }))
  let lastFailed: DeployRun | undefined
  for (const run of runs) {
    if (run.state !== 'failed' && run.state !== 'unknown') continue
    const at = run.endedAt ?? run.requestedAt
    if (!lastFailed || at >= (lastFailed.endedAt ?? lastFailed.requestedAt)) lastFailed = run
  }
  return lastFailed ? { running, lastFailed: { ...lastFailed } } : { running }
}
