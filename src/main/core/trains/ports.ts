import type { CommitSummary } from '../../../shared/models/commits'
import type { DeployRun } from '../../../shared/models/deploys'
import type { ProbeResult } from '../../../shared/models/environments'
import type { Region, Service, Sha, TrainSettings } from '../../../shared/models/workspace'
import type { ManualCut } from './manual-cuts'

/**
 * What the trains need to know about history, answered by the commit index (or by git in tests).
 * All are synchronous lookups over data already at hand; none fetches.
 */
export interface TrainPorts {
  /** SHA of `branch` of `service` at `instant`: the newest first-parent commit with commit time ≤ instant. */
  shaAtTime(service: string, branch: string, instant: Date): Sha | undefined
  /** Whether `ancestor` is reachable from `descendant` (true when they are equal). */
  isAncestor(service: string, ancestor: Sha, descendant: Sha): boolean
  /** Commits in exclude..include, newest first (`exclude` undefined: all of include's history). */
  range(service: string, exclude: Sha | undefined, include: Sha): CommitSummary[]
  /** A commit in the history of `inHistoryOf` that is the same change as `sha` (cherry-pick trailer or patch-id). */
  equivalent(service: string, sha: Sha, inHistoryOf: Sha): Sha | undefined
}

/** A hotfix branch tip of one service, as listed from the clone's refs. */
export interface HotfixBranchTip {
  service: string
  branch: string
  tip: Sha
}

/** Everything the trains board is derived from; nothing in it is typed by hand. */
export interface TrainInputs {
  now: Date
  settings: TrainSettings
  services: Pick<Service, 'name' | 'defaultBranch' | 'environments'>[]
  regions: Region[]
  /** The current value of every probe (what SHA each service runs in each environment). */
  probes: ProbeResult[]
  /** The deploy journal, any order. */
  journal: DeployRun[]
  hotfixBranches: HotfixBranchTip[]
  /** Trains cut by hand ("Cut the train now"), from the workspace's state. */
  manualCuts: readonly ManualCut[]
  ports: TrainPorts
  /** How many weeks of trains before the current one to consider (default 8). */
  weeksBack?: number
}
