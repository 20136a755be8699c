import type { AppErrorData } from '../errors'
import type { DeployState } from './deploys'
import type { RunKind } from './trains'
import type { Sha } from './workspace'

/** What a probe learnt about one service in one environment. */
export interface ProbeResult {
  service: string
  environment: string
  /** Full SHA when it was found in the clone; the raw value otherwise. */
  sha?: Sha
  raw?: string
  error?: AppErrorData
  /** ISO time the value was read. */
  asOf: string
  /** Whether this came from the cache rather than a fresh read. */
  cached: boolean
}

/** A warning on the matrix that a person should look at. */
export interface MatrixWarning {
  /** `differs-from-deploy`: the probe reports another SHA than the last successful run Trainyard knows of put there. */
  kind: 'not-descendant' | 'moved-backwards' | 'sha-missing' | 'probe-failed' | 'differs-from-deploy'
  service: string
  environment: string
  message: string
}

/** One cell of the services × environments matrix. */
export interface MatrixCell {
  service: string
  environment: string
  probe: ProbeResult
  shortSha?: string
  /** Commit time of the deployed SHA (ISO). */
  commitTime?: string
  subject?: string
  /** Relative to the environment before it in the region path. */
  behindPrevious?: number
  aheadOfPrevious?: number
  previous?: string
  /** From the deploy journal, when Trainyard deployed it. */
  deployedSince?: string
  deployedBy?: string
  /** A deploy run of this cell now in progress. */
  activeRunId?: string
  /** The newest ended run of this cell when it did not succeed (failed, aborted or unknown) and no success came after it. */
  lastRun?: { id: string; state: DeployState; sha: Sha; at: string; by: string; rollback?: boolean; why?: string }
  /** The SHA the newest successful run put here, when the probe reports another one. */
  lastDeployedSha?: Sha
  /** The train a production environment runs, from the trains board (workspaces with trains). */
  train?: { name: string; cutDate: string; kind: RunKind; extra?: number }
}

/** The home screen: services × environments grouped by region path. */
export interface Matrix {
  services: string[]
  regions: { name: string; label: string; path: string[] }[]
  environments: string[]
  cells: MatrixCell[]
  warnings: MatrixWarning[]
  asOf: string
}

/** The state of one service × environment in a "where is my commit" answer. */
export type WhereState = 'deployed' | 'deployed-as-cherry-pick' | 'not-deployed' | 'unknown'

/** One row of a "where is my commit" answer. */
export interface WhereCell {
  service: string
  environment: string
  state: WhereState
  deployedSha?: Sha
  /** For deployed-as-cherry-pick: the equivalent commit in the deployed history. */
  equivalentSha?: Sha
  via?: 'trailer' | 'patch-id'
  since?: string
  error?: AppErrorData
}

/** The answer to "is my commit deployed, and where?". */
export interface WhereAnswer {
  query: string
  /** What the query resolved to, per service that knows it (`train`: the query named a train, e.g. `LEE`). */
  resolved: { service: string; sha: Sha; subject: string; via: 'sha' | 'pr' | 'branch' | 'ref' | 'train' }[]
  cells: WhereCell[]
}
