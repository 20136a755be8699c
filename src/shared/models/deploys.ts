import type { AppErrorData } from '../errors'
import type { CommitSummary } from './commits'
import type { LockOverride, PromoteCoordination } from './coordination'
import type { DeployJobConfig, Sha } from './workspace'

/** A deploy run's life as Trainyard tracks it. `unknown`: the trigger may or may not have reached the provider. */
export type DeployState =
  'pending' | 'triggering' | 'queued' | 'running' | 'succeeded' | 'failed' | 'aborted' | 'unknown'

/** Whether a run is final (succeeded, failed, aborted): it never changes again, and only these end a GitHub record. */
export function isFinal(state: DeployState): boolean {
  switch (state) {
    case 'succeeded':
    case 'failed':
    case 'aborted':
      return true
    case 'pending':
    case 'triggering':
    case 'queued':
    case 'running':
    case 'unknown':
      return false
    default: {
      const never: never = state
      return never
    }
  }
}

/**
 * Whether nothing more will happen to a run by itself: it is final, or `unknown` and waits for a person to
 * settle it. A wait for a run's end (the CLI's `--wait`, the promote dialog) stops here; an `unknown` run
 * still blocks its environment and may later be settled to a final state.
 */
export function isStopped(state: DeployState): boolean {
  return isFinal(state) || state === 'unknown'
}

/** A request to move one service in one environment to a SHA. */
export interface PromoteRequest {
  service: string
  environment: string
  /** Full or short SHA, branch, tag or #PR. */
  target: string
  rollback?: { reason: string }
  /**
   * The person confirms this is the environment's first deploy: needed when Trainyard cannot tell what the
   * environment runs (no probe answer, no successful run in the journal or GitHub Deployments).
   */
  firstDeploy?: boolean
  /** Who asks; defaults to the OS user. */
  requestedBy?: string
  /** Go ahead over the locks on the target, for this reason (recorded in the journal and the coordination log). */
  overrideLock?: { reason: string }
}

/** What a promote would do, shown before confirming. */
export interface PromotePreview {
  service: string
  environment: string
  sha: Sha
  currentSha?: Sha
  /**
   * Where `currentSha` comes from: the environment's probe, or, when the probe cannot tell, the newest of what the
   * probe last answered (`cache`), the last successful run in Trainyard's deploy journal, and GitHub Deployments'.
   */
  currentSource?: 'probe' | 'cache' | 'journal' | 'github'
  kind: 'forward' | 'rollback' | 'first-deploy' | 'redeploy'
  /** Commits that will ship (current..new), newest first. */
  commits: CommitSummary[]
  /** Commits a rollback removes (new..current), newest first. */
  removes: CommitSummary[]
  lastDeploy?: { by: string; at: string; sha: Sha; state: DeployState }
  /** Reasons the promote would be refused, if any. */
  blockers: AppErrorData[]
  /** The team's locks, sign-offs and runs in progress for this target. */
  coordination?: PromoteCoordination
}

/** Where a preview's current SHA came from when the probe gave no answer, in words; undefined for an answer given now. */
export function fallbackWords(source: PromotePreview['currentSource']): string | undefined {
  switch (source) {
    case 'cache':
      return 'its last answer'
    case 'journal':
      return "the last successful deploy in Trainyard's journal"
    case 'github':
      return 'the last successful deployment on GitHub Deployments'
    case 'probe':
    case undefined:
      return undefined
    default: {
      const never: never = source
      return never
    }
  }
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
  /** The set promotion this run is a step of (`sets.get`); its end is notified once, by the set. */
  setId?: string
  /** The locks this run went ahead over, and why. */
  lockOverride?: LockOverride
  /** GitHub Deployments ledger status for this run, when configured. */
  ledger?: { state: 'pending' | 'recorded' | 'failed'; message?: string }
}

/** Damage found in the deploy journal: what was skipped, and where its bytes are kept. */
export interface JournalHealth {
  /** What this process found and skipped, in words (the CLI prints these). */
  found: string[]
  /** Every note kept with the skipped bytes, oldest first: damage any process found, until a person removes the file. */
  setAside: string[]
  /** The file holding the skipped bytes. */
  damagedFile: string
}

/** A change in a run's state, pushed as an event. */
export interface DeployChange {
  run: DeployRun
  /** Another Trainyard process (the app, a CLI) made this change; this one read it in the shared journal. */
  remote?: true
}

/** New log lines of a run. */
export interface DeployLogLines {
  runId: string
  /** Index of the first line in the run's whole log. */
  from: number
  lines: string[]
}
