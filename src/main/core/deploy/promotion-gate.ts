import type { AppErrorData } from '../../../shared/errors'
import type { CommitSummary } from '../../../shared/models/commits'
import type { LockOverride, PromoteCoordination } from '../../../shared/models/coordination'
import type { PromoteRequest } from '../../../shared/models/deploys'
import type { Sha } from '../../../shared/models/workspace'

/** A promote as the gate sees it, after the guard. */
export interface GateQuestion {
  request: PromoteRequest
  sha: Sha
  currentSha?: Sha
  /** The commits the promote ships (the guard's `commits`). */
  ships: CommitSummary[]
  /** Whether a run id is one of this runner's own (its journal has it): the runner already refuses those. */
  isOwnRun: (runId: string) => boolean
}

/** The gate's verdict: what refuses the promote, what the preview shows, and the lock override to record. */
export interface GateVerdict {
  blockers: AppErrorData[]
  view: PromoteCoordination
  /** Set when the request overrides locks that apply: the runner records it on the run (and so in the journal). */
  lockOverride?: LockOverride
}

/**
 * The team's say on a promote, asked by the runner's preview and start after its own guard: locks (`locked`, unless
 * overridden with a reason), required QA sign-offs (`missing-signoff`) and runs others have in progress
 * (`deploy-conflict`). Never throws for a refusal, and never fails a promote because the team's records could not
 * be fetched: it then judges by the last fetch and says so in `view.note`.
 */
export interface PromotionGate {
  assess(question: GateQuestion): Promise<GateVerdict>
}
