import type { AppErrorData } from '../errors'
import type { DeployState } from './deploys'
import type { Sha } from './workspace'

/** Who wrote a record: the machine's git identity (user.name, user.email), else the OS user. */
export interface Identity {
  name: string
  email?: string
}

/** What a lock covers: the whole workspace, a region's own environments, one environment, or one service in one. */
export type LockScope =
  | { kind: 'workspace' }
  | { kind: 'region'; region: string }
  | { kind: 'environment'; environment: string }
  | { kind: 'service'; service: string; environment: string }

/** A lock or freeze: promotes onto what it covers are refused with `locked` until it is lifted or expires. */
export interface Lock {
  id: string
  scope: LockScope
  reason: string
  by: Identity
  /** When it started (ISO). */
  at: string
  /** When it stops applying by itself (ISO). */
  expiresAt?: string
  /** An incident or ticket. */
  link?: string
  lifted?: { by: Identity; at: string }
}

/** Whether a lock applies now. */
export type LockState = 'active' | 'expired' | 'lifted'

/** A lock as a view shows it. */
export interface LockView extends Lock {
  state: LockState
}

/** "Verified in <environment> by <who>": a QA sign-off attached to a SHA of a service. */
export interface Signoff {
  id: string
  service: string
  sha: Sha
  environment: string
  by: Identity
  at: string
  /** A note or a link. */
  note?: string
}

/** A deploy run in progress, as its author's Trainyard publishes it for the team. */
export interface SharedRun {
  runId: string
  service: string
  environment: string
  sha: Sha
  state: DeployState
  by: Identity
  /** When the run was requested (ISO). */
  since: string
  /** Refreshed while the author's Trainyard follows the run; an old one makes the entry stale. */
  heartbeatAt: string
  /** The run in the provider. */
  url?: string
}

/** A published run as a view shows it. */
export interface SharedRunView extends SharedRun {
  /** Its author's Trainyard stopped refreshing it: shown, never blocking. */
  stale: boolean
  /** Started by this Trainyard (its own journal has it). */
  mine: boolean
}

/** A promote that went ahead over a lock, as the coordination log and the deploy journal record it. */
export interface LockOverride {
  reason: string
  by: Identity
  at: string
  /** The ids of the locks it overrode. */
  locks: string[]
}

/** The team's shared picture, as read from the coordination repository (or the local store without one). */
export interface CoordinationState {
  /** `shared`: through the workspace's coordination repository; `local`: only this machine sees it. */
  mode: 'shared' | 'local'
  /** The coordination repository (without user-info), when shared. */
  repo?: string
  /** When the records were last fetched (shared mode). */
  fetchedAt?: string
  /** Why the last fetch failed: the records are those of the last fetch. */
  error?: AppErrorData
  /** Who this Trainyard writes as. */
  me: Identity
  locks: LockView[]
  signoffs: Signoff[]
  runs: SharedRunView[]
  /** Regions held by a lock on their production: the train board shows them held. */
  held: { region: string; locks: string[] }[]
  asOf: string
}

/** A lock to set: `expiresInMinutes` from now, when given. */
export interface LockRequest {
  scope: LockScope
  reason: string
  expiresInMinutes?: number
  link?: string
}

/** What the promote preview shows of the team's picture for one service × environment. */
export interface PromoteCoordination {
  mode: CoordinationState['mode']
  /** Locks that apply to the target now. */
  locks: LockView[]
  /** Environments whose sign-off the target requires (`requireSignoff`). */
  required: string[]
  /** Of `required`, those with no sign-off on the SHA or a commit it ships. */
  missing: string[]
  /** Sign-offs on the SHA and on every commit it ships. */
  signoffs: Signoff[]
  /** Runs of this service × environment that others have in progress (stale ones included, marked). */
  others: SharedRunView[]
  /** Set when the picture is that of the last fetch (the repository is unreachable) or local only. */
  note?: string
}

/** "Tell me when <commit> reaches <environment>": kept on this machine until it fires or is removed. */
export interface Watch {
  id: string
  /** A SHA, #PR, branch or tag, as typed. */
  query: string
  environment: string
  createdAt: string
  /** When it fired, and what showed it there. */
  fired?: { at: string; service: string; sha: Sha; via?: 'trailer' | 'patch-id' }
}
