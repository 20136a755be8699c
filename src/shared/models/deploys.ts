import type { AppErrorData } from '../errors'
import type { CommitSummary } from './commits'
import type { DeployJobConfig, Sha } from './workspace'

/** A deploy run's life as Trainyard tracks it. `unknown`: the trigger may or may not have reached the provider. */
export type DeployState =
  'pending' | 'triggering' | 'queued' | 'running' | 'succeeded' | 'failed' | 'aborted' | 'unknown'

/** A request to move one service in one environment to a SHA. */
export interface PromoteRequest {
  service: string
  environment: string
  /** Full or short SHA, branch, tag or #PR. */
  target: string
  rollback?: { reason: string }
  /** Who asks; defaults to the OS user. */
  requestedBy?: string
}

/** What a promote would do, shown before confirming. */
export interface PromotePreview {
  service: string
  environment: string
  sha: Sha
  currentSha?: Sha
  kind: 'forward' | 'rollback' | 'first-deploy' | 'redeploy'
  /** Commits that will ship (current..new), newest first. */
  commits: CommitSummary[]
  /** Commits a rollback removes (new..current), newest first. */
  removes: CommitSummary[]
  lastDeploy?: { by: string; at: string; sha: Sha; state: DeployState }
  /** Reasons the promote would be refused, if any. */
  blockers: AppErrorData[]
}

/** One deploy run, as kept in the journal. */
export interface DeployRun {
  id: string
  service: string
  environment: string
  sha: Sha
  previousSha?: Sha
  provider: DeployJobConfig['provider']
  state: DeployState
  requestedBy: string
  requestedAt: string
  startedAt?: string
  endedAt?: string
  rollback?: { reason: string }
  /** A link to the run in the provider. */
  url?: string
  /** Provider's own state words (e.g. Rundeck `timedout`, Jenkins `UNSTABLE`). */
  detail?: string
  error?: AppErrorData
  /** GitHub Deployments ledger status for this run, when configured. */
  ledger?: { state: 'pending' | 'recorded' | 'failed'; message?: string }
}

/** A change in a run's state, pushed as an event. */
export interface DeployChange {
  run: DeployRun
}

/** New log lines of a run. */
export interface DeployLogLines {
  runId: string
  /** Index of the first line in the run's whole log. */
  from: number
  lines: string[]
}
