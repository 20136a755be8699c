import type { AppErrorData } from '../errors'
import type { Workspace } from '../models/workspace'

/** A problem found in a workspace file, with where and what to write instead. */
export interface WorkspaceProblem {
  file: string
  line: number
  column: number
  message: string
  hint?: string
}

/** An opened workspace as the UI sees it: the model (no secrets in it by construction) and its problems. */
export interface WorkspaceView {
  file: string
  workspace: Workspace | null
  problems: WorkspaceProblem[]
  demo: boolean
}

/** What the UI may know of a credential: never its value. */
export interface CredentialState {
  name: string
  state: 'set' | 'not-set' | 'check-failed'
  /** Which endpoints or services use it. */
  usedBy: string[]
}

/** The views of the app frame, in navigation order, with the digit of their Ctrl/Cmd shortcut: the one list the renderer, the menu and app state read. */
export const VIEWS = [
  { id: 'environments', label: 'Environments', key: '1' },
  { id: 'graph', label: 'Graph', key: '2' },
  { id: 'trains', label: 'Trains', key: '3' },
  { id: 'deploys', label: 'Deploys', key: '4' },
  { id: 'settings', label: 'Settings', key: '5' },
] as const

/** The id of a view of the app frame. */
export type ViewId = (typeof VIEWS)[number]['id']

/** Every view id, in navigation order. */
export const VIEW_IDS: readonly ViewId[] = VIEWS.map((view) => view.id)

/** UI preferences kept in app state. */
export interface Preferences {
  theme: 'system' | 'light' | 'dark'
  lastView: ViewId
}

/** What the desktop shell's menu and tray ask of the window (the renderer acts on it). */
export type AppRequest =
  | { action: 'find-commit' }
  | { action: 'open-run'; runId: string }
  | { action: 'go-to'; view: ViewId }
  | { action: 'refresh' }

/** Clone state of one service. `queued`: no clone yet, and one is coming after the clones before it. */
export interface RepoStatus {
  service: string
  state: 'missing' | 'queued' | 'cloning' | 'fetching' | 'ready' | 'failed'
  commits?: number
  fetchedAt?: string
  error?: AppErrorData
  /** The last progress report of the clone or fetch under way. */
  progress?: RepoProgress
  /**
   * The clone has recent history only (a shallow first clone, deepened by the next fetch): answers that need older
   * history say "not yet known: history still loading".
   */
  historyLoading?: true
}

/** Progress of a clone or fetch. */
export interface RepoProgress {
  service: string
  operation: 'clone' | 'fetch'
  phase: string
  loaded: number
  total?: number
  /** Bytes received so far, while a pack is arriving. */
  bytes?: number
}

/** A notification the core asked the shell to show (recorded in Node). */
export interface Notice {
  title: string
  body: string
  kind: 'succeeded' | 'failed' | 'info'
  runId?: string
}
