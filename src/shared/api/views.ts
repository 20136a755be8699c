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

/** UI preferences kept in app state. */
export interface Preferences {
  theme: 'system' | 'light' | 'dark'
  lastView: 'environments' | 'graph' | 'trains' | 'deploys' | 'settings'
}

/** What the desktop shell's menu and tray ask of the window (the renderer acts on it). */
export type AppRequest =
  | { action: 'find-commit' }
  | { action: 'open-run'; runId: string }
  | { action: 'go-to'; view: Preferences['lastView'] }
  | { action: 'refresh' }

/** Clone state of one service. */
export interface RepoStatus {
  service: string
  state: 'missing' | 'cloning' | 'fetching' | 'ready' | 'failed'
  commits?: number
  fetchedAt?: string
  error?: AppErrorData
}

/** Progress of a clone or fetch. */
export interface RepoProgress {
  service: string
  operation: 'clone' | 'fetch'
  phase: string
  loaded: number
  total?: number
}

/** A notification the core asked the shell to show (recorded in Node). */
export interface Notice {
  title: string
  body: string
  kind: 'succeeded' | 'failed' | 'info'
  runId?: string
}
