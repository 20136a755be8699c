import type { AppErrorData } from '../errors'
import type { DeployRun, PromotePreview } from './deploys'
import type { CommitSummary } from './commits'
import type { Sha } from './workspace'

/** A weekly release train: every service's default branch as of the cut. Identity is name + cut (names repeat). */
export interface Train {
  /** `NAME@<cut ISO>`, unique across name cycles. */
  id: string
  name: string
  /** Weeks since the anchor's cut (0), negative before it. */
  week: number
  /** Cut instant, ISO UTC. */
  cutAt: string
  /** Calendar date of the cut on the schedule's wall clock (YYYY-MM-DD), for display. */
  cutDate: string
  /** The scheduled deploy slot after the cut, ISO UTC. */
  deployAt: string
  /** SHA of each service's default branch at the cut; a service with no commit by then is absent. */
  shas: Record<string, Sha>
  /** Set when the train was cut by hand ("Cut the train now") ahead of its scheduled cut. */
  manualCut?: ManualCutMark
}

/** When and by whom a train was cut by hand. */
export interface ManualCutMark {
  /** The instant of the manual cut (ISO). */
  at: string
  by: string
}

/** A short reference to a train for lists and messages. */
export interface TrainRef {
  id: string
  name: string
  cutAt: string
  cutDate: string
  manualCut?: ManualCutMark
}

/**
 * Where a train is in its life, derived from the clock, the probes and the deploy journal:
 * planned (cut in the future) → cut → in-qa (a non-production environment runs it) → seasoning
 * (live in the first region, seasoning period not over) → seasoned (live in the first region, period over)
 * → live (live in every region it goes to) → retired (live nowhere, every region is past it).
 */
export type TrainPhase = 'planned' | 'cut' | 'in-qa' | 'seasoning' | 'seasoned' | 'live' | 'retired'

/** How long a train has run in the first region and how long it still has to. */
export interface Seasoning {
  /** Since when the first region has run the train without a break (ISO). */
  since: string
  /** Where `since` came from: the journal's deploy runs, or the train's scheduled deploy slot when the journal is silent. */
  sinceFrom: 'journal' | 'schedule'
  /** When the seasoning period ends (ISO). */
  until: string
  /** When the first region stopped running the train; absent while it still runs it. */
  endedAt?: string
  /** Milliseconds still to go while it runs; 0 once seasoned. */
  leftMs: number
  /** Whether it ran in the first region for the whole seasoning period. */
  done: boolean
}

/** A train and where it is. */
export interface TrainStatus {
  train: Train
  phase: TrainPhase
  /** Regions whose production runs the train (for every service that has it). */
  liveIn: string[]
  /** Non-production environments where at least one service runs the train. */
  qaIn: string[]
  /** Set once the train is live in the first region. */
  seasoning?: Seasoning
}

/**
 * How an environment's SHA relates to a train: `exact` (the train's SHA), `hotfix` (commits on top that are not on
 * the default branch, i.e. a hotfix branch), `ahead` (commits on top from the default branch: part of a later train).
 */
export type RunKind = 'exact' | 'hotfix' | 'ahead'

/** What one service runs in one environment, in train terms. */
export interface TrainCell {
  service: string
  environment: string
  sha?: Sha
  /** The newest train the SHA runs as (several trains share a SHA when a service did not change). */
  train?: TrainRef
  kind?: RunKind
  /** Commits on top of the train's SHA (hotfix or ahead). */
  extra?: number
  /** Why no train could be named: no probe value, or a SHA that is no train's (older than the trains known, or unrelated). */
  unknown?: 'no-sha' | 'no-train'
}

/** Commits one service would ship between two SHAs. */
export interface ServiceDelta {
  service: string
  from?: Sha
  to: Sha
  /** Commits in from..to, newest first. */
  commits: CommitSummary[]
}

/** Why a dry run leaves a service out. */
export type SkipReason = 'hotfix-live' | 'not-descendant' | 'up-to-date' | 'not-in-train'

/** A service a promote of a train to a region would leave out, and why. */
export interface TrainSkip {
  service: string
  reason: SkipReason
  message: string
}

/** One step of promoting a train to a region: the runner executes them one after another. */
export interface PromoteStep {
  service: string
  environment: string
  sha: Sha
  /**
   * The environment runs a hotfix branch whose fixes the train carries (as cherry-picks' sources or equivalents):
   * the train does not descend from the hotfix commit, so the promote guard must accept leaving the branch.
   */
  leavesHotfix?: boolean
}

/** What promoting a train to a region would do, before anything runs. */
export interface TrainDryRun {
  region: string
  train?: TrainRef
  /** e.g. "US would receive BERTHA: 14 commits in 3 services; skips `billing`: hotfix branch live". */
  summary: string
  ships: ServiceDelta[]
  skips: TrainSkip[]
  /** Ordered by the workspace's service order. */
  steps: PromoteStep[]
}

/** One region on the trains board. */
export interface RegionTrains {
  region: string
  label: string
  /** Trains this region lags the first (0 for the first region). */
  lag: number
  /** Its hotfix branch, by the workspace's pattern (e.g. `us-release`). */
  hotfixBranch: string
  /** The train its production runs for every service; absent when services run different trains. */
  current?: TrainRef
  /** Per service, what its production runs. */
  cells: TrainCell[]
  /** The train it should take next: the newest cut for the first region, the seasoned one `lag` weeks back for others. */
  next?: TrainRef
  /** Why there is no next train, when there is none. */
  nextWhy?: 'up-to-date' | 'not-seasoned' | 'no-train'
  /**
   * The train that brings this region new commits next: `next` when one waits; else the oldest cut train later
   * than what it runs that can still reach it (e.g. the one seasoning in the first region); else the planned train.
   */
  upcoming?: { train: TrainRef; planned: boolean }
  /** The current train's seasoning, for the first region. */
  seasoning?: Seasoning
  dryRun: TrainDryRun
}

/** A fix picked onto a hotfix branch. */
export interface HotfixFix {
  service: string
  /** The commit on the hotfix branch. */
  sha: Sha
  subject: string
  /** The master commit it was picked from, when known. */
  source?: { sha: Sha; via: 'trailer' | 'patch-id' }
}

/** A hotfix branch of one service and where its fixes are. */
export interface HotfixBranchStatus {
  service: string
  branch: string
  /** The region the branch serves (from the `{region}-release` pattern). */
  region: string
  tip: Sha
  fixes: HotfixFix[]
  /** Environments that run a commit of the branch that is not on the default branch. */
  deployedIn: string[]
  /** Regions whose upcoming train does not carry every fix yet. */
  missingFrom: string[]
  /** Per region, the train that brings it new commits next and whether it carries every fix. */
  reaches: HotfixReach[]
  /** Every region's production carries its fixes and no environment runs it; never for a branch with no fix yet. */
  deletable: boolean
}

/** Whether the train that reaches a region next carries a hotfix branch's fixes. */
export interface HotfixReach {
  region: string
  train: TrainRef
  /** The train is not cut yet: it carries what the default branch holds now (and at its cut). */
  planned: boolean
  carries: boolean
}

/** What `hotfix.create` did: the branch's status, and whether it was made now or already existed (then left as it was). */
export type HotfixCreation = HotfixBranchStatus & { created: boolean }

/** A reminder about a hotfix branch that a person should act on. */
export interface HotfixWarning {
  kind: 'fix-not-in-next-train' | 'branch-can-be-deleted'
  service: string
  branch: string
  /** For fix-not-in-next-train: the fix and the region whose next train lacks it. */
  fix?: Sha
  region?: string
  message: string
}

/** The trains screen and `trainyard trains --json`. */
export interface TrainBoard {
  asOf: string
  timeZone: string
  nextCut: string
  /** Recent and upcoming trains, oldest first. */
  trains: TrainStatus[]
  /** Regions in the order trains reach them. */
  regions: RegionTrains[]
  hotfixes: HotfixBranchStatus[]
  warnings: HotfixWarning[]
}

/** One deploy of a promotion as planned, checked by the deploy runner's own preview. */
export interface PlannedDeploy {
  service: string
  environment: string
  sha: Sha
  /** Recorded as a rollback with this reason (a train that leaves a hotfix branch whose fixes it carries). */
  rollbackReason?: string
  /** Set on a step planned first because this later environment requires a successful deploy here. */
  requiredBy?: string
  /** What the runner's preview calls the move. */
  kind: PromotePreview['kind']
  /** Commits it ships. */
  commits: number
  /** Why the runner would refuse it, besides what an earlier step of the plan deploys first. */
  blockers: AppErrorData[]
}

/** What promoting a train to a region would run, step by step, and whether anything refuses it. */
export interface TrainPromotionPlan {
  region: string
  train: TrainRef
  /** The dry run's words, e.g. "United Kingdom would receive BERTHA: 14 commits in 3 services". */
  summary: string
  /** In the order they run: every environment a production step requires first, then production. */
  steps: PlannedDeploy[]
  skips: TrainSkip[]
  /** Every step's blockers: while there is one, the promotion starts nothing. */
  refusals: AppErrorData[]
}

/** What "promote this train to <region>" did. */
export interface TrainPromotion {
  region: string
  train: TrainRef
  /** The deploy runs it started, in order. */
  runs: DeployRun[]
  skipped: TrainSkip[]
  /** Set when a step failed and the rest were not started. */
  stopped?: { service: string; environment: string; reason: string }
}

/** The result of cherry-picking commits onto a branch. */
export interface CherryPickOutcome {
  ok: boolean
  /** The branch tip after the picks (unchanged on conflict or dry run). */
  tip: Sha
  /** Each picked commit and the commit it became (absent on a dry run); `input` is the `#PR` it stands for, if any. */
  picked: { from: Sha; to?: Sha; subject: string; input?: string }[]
  /** Conflicts found before anything was written. */
  conflicts: { commit: Sha; subject: string; paths: { path: string; kind: string }[] }[]
  /** Nothing was written. */
  dryRun: boolean
}
