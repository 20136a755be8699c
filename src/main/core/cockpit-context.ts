import type { WorkspaceView } from '../../shared/api/views'
import type { AppPaths } from './app-paths'
import type { AppStatePort } from './app-state-port'
import type { CredentialStates } from './credentials/credential-states'
import type { SecretStore } from './credentials/secret-store'
import type { Notifier } from './deploy/notifier'
import type { EventHub } from './events'
import type { Logger } from './logger'
import type { WorkspaceRuntime } from './runtime/workspace-runtime'
import type { SessionHolder } from './session'

/** What every command domain is built from: the ports and the open session. */
export interface CockpitContext {
  paths: AppPaths
  secrets: SecretStore
  appState: AppStatePort
  notifier: Notifier
  logger: Logger
  events: EventHub
  clock: () => Date
  /** Who is at the keyboard, recorded on deploy runs. */
  user: string
  session: SessionHolder
  /** What the UI may know of each credential: set, not set, or refused since it was last set. */
  credentials: CredentialStates
  /** Secret lookup for the core's clients: the demo's in-memory credentials first, then the keychain. */
  secret: (name: string) => Promise<string | undefined>
  /** The open workspace's runtime, or AppError('no-workspace'). */
  runtime: () => WorkspaceRuntime
  /** The demo directory (generated repos, facts, its own state). */
  demoDir: string
  /** Starts the demo's servers (once per process) and returns its workspace file. */
  ensureDemo: (reset?: boolean) => Promise<string>
  /** Makes a workspace the open one (or none), rebuilding what hangs off it. */
  activate: (view: WorkspaceView | null) => Promise<void>
  /** Whether a workspace file is the built-in demo's. */
  isDemo: (file: string) => boolean
}
