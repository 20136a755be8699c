import type { Comparison } from '../models/commits'
import type { CoordinationState, Lock, LockRequest, Signoff, Watch } from '../models/coordination'
import type {
  DeployChange,
  DeployLogLines,
  DeployRun,
  JournalHealth,
  PromotePreview,
  PromoteRequest,
} from '../models/deploys'
import type { Matrix, ProbeResult, WhereAnswer } from '../models/environments'
import type { ReleaseSet, SetPreview, SetRequest } from '../models/release-sets'
import type { EndpointCheck, EndpointCheckResult, WorkspaceDraft } from '../models/workspace'
import type { CommitDetails, GraphPage } from '../models/graph'
import type {
  CherryPickOutcome,
  HotfixBranchStatus,
  HotfixCreation,
  TrainBoard,
  TrainPromotion,
  TrainPromotionPlan,
} from '../models/trains'
import type { AppRequest, CredentialState, Notice, Preferences, RepoProgress, RepoStatus, WorkspaceView } from './views'

type None = Record<string, never>

/** Commands about the workspace file. */
export interface WorkspaceCommands {
  'workspace.open': { input: { file: string }; output: WorkspaceView }
  'workspace.current': { input: None; output: WorkspaceView | null }
  'workspace.validate': { input: { file: string }; output: WorkspaceView['problems'] }
  'workspace.recent': { input: None; output: string[] }
  'workspace.close': { input: None; output: null }
  /** Writes a new workspace file from the form (refusing to overwrite unless asked), stores its secrets in the keychain, opens it. */
  'workspace.create': {
    input: { file: string; draft: WorkspaceDraft; secrets: { name: string; secret: string }[]; overwrite?: boolean }
    output: WorkspaceView
  }
  /** Tests an endpoint with a typed secret or the keychain's; stores nothing. */
  'endpoints.test': { input: EndpointCheck; output: EndpointCheckResult }
}

/** Commands about keychain credentials. Values go in, never out. */
export interface CredentialCommands {
  'credentials.list': { input: None; output: CredentialState[] }
  'credentials.set': { input: { name: string; secret: string }; output: CredentialState }
  'credentials.delete': { input: { name: string }; output: CredentialState }
}

/** Commands about UI preferences kept in app state. */
export interface PreferenceCommands {
  'preferences.get': { input: None; output: Preferences }
  'preferences.set': { input: Partial<Preferences>; output: Preferences }
}

/** Commands about the local clones. */
export interface RepoCommands {
  'repos.status': { input: None; output: RepoStatus[] }
  'repos.fetch': { input: { service?: string }; output: RepoStatus[] }
  'repos.cancel': { input: { service: string }; output: null }
}

/** Commands about what runs where. */
export interface EnvironmentCommands {
  'environments.matrix': { input: { refresh?: boolean }; output: Matrix }
  'environments.compare': { input: { service: string; from: string; to: string }; output: Comparison }
  'environments.where': { input: { query: string; service?: string }; output: WhereAnswer }
}

/** Commands about deploy runs. */
export interface DeployCommands {
  'deploys.preview': { input: PromoteRequest; output: PromotePreview }
  'deploys.start': { input: PromoteRequest; output: DeployRun }
  'deploys.list': {
    input: { service?: string; environment?: string; state?: string; limit?: number }
    output: DeployRun[]
  }
  'deploys.get': { input: { runId: string }; output: { run: DeployRun; log: string[] } }
  'deploys.abort': { input: { runId: string }; output: DeployRun }
  'deploys.resolve': { input: { runId: string; state: 'succeeded' | 'failed'; note: string }; output: DeployRun }
  /** What the deploy journal had to skip (damage), and where the skipped bytes are kept. */
  'deploys.journal': { input: None; output: JournalHealth }
}

/** Commands about set promotions: several services to one environment in dependency order, journaled as one set. */
export interface SetCommands {
  /** What promoting the set would do: each service's verdict, every commit by author, the release note; sends nothing. */
  'sets.preview': { input: SetRequest; output: SetPreview }
  /** Plans the set again (pinned `shas` win) and starts it; returns once it is journaled; `sets.changed` follows it. */
  'sets.start': { input: SetRequest; output: ReleaseSet }
  'sets.list': { input: None; output: ReleaseSet[] }
  'sets.get': { input: { setId: string }; output: ReleaseSet }
  /** Takes up a set no live process drives (interrupted, or held until its unknown step was settled). */
  'sets.resume': { input: { setId: string }; output: ReleaseSet }
  /** Starts nothing more of the set; steps already running go on. */
  'sets.abort': { input: { setId: string }; output: ReleaseSet }
}

/** Commands about the built-in demo. */
export interface DemoCommands {
  /** Prepares the demo (once), starts its loopback servers and opens its workspace. */
  'demo.start': { input: { reset?: boolean }; output: WorkspaceView }
}

/** Commands about release trains. */
export interface TrainCommands {
  'trains.board': { input: None; output: TrainBoard }
  /** Cuts the next train now instead of at its scheduled time. */
  'trains.cut': { input: None; output: TrainBoard }
  /** What promoting a train to a region would run, checked step by step as the run will check it. */
  /** With `overrideLock`, the plan as it would run over the team's locks (their refusals dropped). */
  'trains.preview': {
    input: { region: string; trainId: string; overrideLock?: { reason: string } }
    output: TrainPromotionPlan
  }
  /** Runs the plan `trains.preview` shows, one step after another; refused while it has a refusal; stops at the first failure. */
  'trains.promote': {
    input: { region: string; trainId: string; overrideLock?: { reason: string } }
    output: TrainPromotion
  }
}

/** Commands of the hotfix flow: a short-lived `<region>-release` branch with fixes cherry-picked from master. */
export interface HotfixCommands {
  /** Creates `<region>-release` at the SHA of the train live in the region (or `at`); says when it already existed. */
  'hotfix.create': { input: { service: string; region: string; at?: string }; output: HotfixCreation }
  /**
   * Cherry-picks commits onto the branch in order (a `#PR` merged as a merge commit stands for the PR's own commits;
   * a merge picked whole needs `mainline`, as `git cherry-pick -m`); with `dryRun`, or on any conflict, nothing is written.
   */
  'hotfix.pick': {
    input: { service: string; branch: string; commits: string[]; dryRun?: boolean; mainline?: number }
    output: CherryPickOutcome
  }
  /** Pushes the branch with a lease: refused if the remote branch moved. */
  'hotfix.push': { input: { service: string; branch: string }; output: HotfixBranchStatus }
}

/** Commands of the branch graph. */
export interface GraphCommands {
  'graph.page': { input: { service: string; offset: number; limit: number; branches?: string[] }; output: GraphPage }
  'graph.commit': { input: { service: string; sha: string }; output: CommitDetails }
  /** The row of a commit (SHA, branch, tag or #PR) in the graph, for jumping to it. */
  'graph.locate': {
    input: { service: string; query: string; branches?: string[] }
    output: { sha: string; row: number }
  }
}

/** Commands about the team's shared picture: locks and freezes, QA sign-offs, runs in progress. */
export interface CoordinationCommands {
  /** The picture as of the last fetch; with `refresh`, fetched first (a failed fetch is reported in it, not thrown). */
  'coordination.state': { input: { refresh?: boolean }; output: CoordinationState }
  /** Sets a lock and shares it; refused (nothing changed) when the coordination repository cannot take it. */
  'coordination.lock': { input: LockRequest; output: Lock }
  /** Lifts a lock by its id (or a unique prefix of it). */
  'coordination.unlock': { input: { lockId: string }; output: Lock }
  /** Records "verified in <environment>" on a service's SHA (a SHA, branch, tag or #PR). */
  'coordination.signoff': {
    input: { service: string; target: string; environment: string; note?: string }
    output: Signoff
  }
}

/** Commands about local watches: "tell me when <commit> reaches <environment>". */
export interface WatchCommands {
  'watches.add': { input: { query: string; environment: string }; output: Watch }
  'watches.list': { input: None; output: Watch[] }
  'watches.remove': { input: { id: string }; output: null }
}

/** Every command the UI may send: `<domain>.<verb>`. */
export interface Commands
  extends
    WorkspaceCommands,
    DemoCommands,
    CredentialCommands,
    PreferenceCommands,
    RepoCommands,
    EnvironmentCommands,
    DeployCommands,
    SetCommands,
    TrainCommands,
    HotfixCommands,
    GraphCommands,
    CoordinationCommands,
    WatchCommands {}

/** Every event the core pushes: `<domain>.<past-tense>`. */
export interface Events {
  'workspace.changed': WorkspaceView | null
  'repos.progressed': RepoProgress
  'repos.fetched': RepoStatus
  'environments.probed': ProbeResult
  'deploys.changed': DeployChange
  'deploys.logged': DeployLogLines
  'notifications.shown': Notice
  'trains.changed': { region: string; trainId: string; step: string; runId?: string }
  /** A set promotion changed (a step started, ended, was skipped; the set ended or holds). */
  'sets.changed': ReleaseSet
  /** The team's shared picture changed (a fetch brought news, or this Trainyard wrote a record). */
  'coordination.changed': CoordinationState
  /** A watch fired: its commit reached its environment. */
  'watches.fired': Watch
  /** The shell's menu or tray asks the window to do something (find a commit, open a run…). */
  'app.requested': AppRequest
}

export type CommandName = keyof Commands
export type CommandInput<C extends CommandName> = Commands[C]['input']
export type CommandOutput<C extends CommandName> = Commands[C]['output']
export type EventName = keyof Events
export type EventPayload<E extends EventName> = Events[E]
