import type { AppErrorData } from '../errors'
import type { CommitSummary } from './commits'
import type { DeployRun, PromotePreview } from './deploys'
import type { Sha } from './workspace'

/**
 * A request to promote a set of services to one environment: each takes the SHA `from` runs now, or the SHA
 * `shas` pins for it (what a person saw in the preview, or a train's SHAs).
 */
export interface SetRequest {
  to: string
  /** The environment whose running SHAs are promoted; optional when `shas` names every service. */
  from?: string
  /** Only these services (default: every service with a deploy job for `to`). */
  services?: string[]
  /** SHAs per service that win over what `from` runs (the preview's, so the run deploys what was shown). */
  shas?: Record<string, string>
  /** Go over the team's locks on the targets, with a reason every run records (as a single promote's). */
  overrideLock?: { reason: string }
  /** Who asks; defaults to the OS user. */
  requestedBy?: string
}

/** What a set step does: ships commits, is already there (skipped), or is refused (skipped, with the reasons). */
export type SetStepVerdict = 'ships' | 'already-there' | 'refused'

/** One service of a set's preview. */
export interface SetStepPreview {
  service: string
  environment: string
  /** The SHA it would deploy; absent when the source's SHA is unknown. */
  sha?: Sha
  /** 0 for the first wave: a step waits for every earlier wave (`dependsOn`). */
  wave: number
  verdict: SetStepVerdict
  /** The single promote's preview (commits, removes, blockers), when there was one to make. */
  preview?: PromotePreview
  /** Every reason it is refused: the promote's blockers, an unknown source, no deploy job, a refused dependency. */
  blockers: AppErrorData[]
  /** Recorded as a rollback with this reason (a train leaving a hotfix branch). */
  rollbackReason?: string
}

/** A commit a set ships, with its service. */
export interface SetCommit extends CommitSummary {
  service: string
}

/** One author of a set's commits and every commit of theirs it ships, newest first. */
export interface SetAuthor {
  name: string
  email: string
  commits: SetCommit[]
}

/** What promoting a set would do: every step, every commit grouped by author, and a release note. */
export interface SetPreview {
  from?: string
  to: string
  /** Steps in deploy order (wave, then the workspace's order). */
  steps: SetStepPreview[]
  /** Every commit that ships, grouped by author (most commits first); never cut. */
  authors: SetAuthor[]
  /** How many commits ship, across services. */
  commitCount: number
  /** The release note as Markdown: services, commits by author, and "authors to ask" with emails. */
  releaseNote: string
  /** How many steps of one wave may run at once (the workspace's `parallelDeploys`). */
  parallel: number
}

/** Where a step of a running set stands. */
export type SetStepState =
  'waiting' | 'skipped' | 'refused' | 'running' | 'succeeded' | 'failed' | 'aborted' | 'unknown' | 'not-started'

/** One step of a set run. */
export interface SetStep {
  service: string
  environment: string
  sha?: Sha
  wave: number
  state: SetStepState
  /** The deploy run of this step, once one was started. */
  runId?: string
  /** Why it is skipped, refused, not started, or how it ended. */
  reason?: string
  rollbackReason?: string
}

/** Where a set stands: `held` waits for a person to settle an unknown run; `partly` ended with refused steps skipped. */
export type SetState = 'running' | 'held' | 'succeeded' | 'partly' | 'failed' | 'aborted'

/** A set run as the set journal keeps it. */
export interface ReleaseSet {
  id: string
  /** What it promotes in words, e.g. "staging → production-uk" or "train BERTHA → uk". */
  label: string
  from?: string
  to: string
  requestedBy: string
  requestedAt: string
  endedAt?: string
  state: SetState
  steps: SetStep[]
  /** How it ended (or why it holds), in words. */
  summary?: string
  /** The locks the steps go over, and why (each step's run records it). */
  overrideLock?: { reason: string }
  /** Someone asked to abort the rest: no step starts after it. */
  abortRequested?: { by: string; at: string }
  /** No live process drives it: it stopped with its process and waits for `sets.resume`. */
  interrupted?: true
}

/** Whether a set will not move again by itself (ended, or held for a person). */
export function setStopped(state: SetState): boolean {
  switch (state) {
    case 'succeeded':
    case 'partly':
    case 'failed':
    case 'aborted':
    case 'held':
      return true
    case 'running':
      return false
    default: {
      const never: never = state
      return never
    }
  }
}

/** The step state a deploy run's state stands for. */
export function stepStateOf(run: DeployRun): SetStepState {
  switch (run.state) {
    case 'succeeded':
    case 'failed':
    case 'aborted':
    case 'unknown':
      return run.state
    case 'pending':
    case 'triggering':
    case 'queued':
    case 'running':
      return 'running'
    default: {
      const never: never = run.state
      return never
    }
  }
}
