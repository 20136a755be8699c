import { userInfo } from 'node:os'
import type { AppPaths } from './app-paths'
import type { AppStatePort } from './app-state-port'
import { Cockpit, type CommandHandlers } from './cockpit'
import type { CockpitContext } from './cockpit-context'
import { credentialCommands } from './commands/credentials'
import { deployCommands } from './commands/deploys'
import { environmentCommands } from './commands/environments'
import { preferenceCommands } from './commands/preferences'
import { repoCommands } from './commands/repos'
import { workspaceCommands } from './commands/workspace'
import { KeytarSecretStore } from './credentials/keytar-store'
import type { SecretStore } from './credentials/secret-store'
import { RecordingNotifier, type Notifier } from './deploy/notifier'
import { EventHub } from './events'
import { stderrLogger, type Logger } from './logger'
import { SessionHolder } from './session'

/** The ports a cockpit is built from; each transport passes its own (Electron's notifier, conf or electron-store state…). */
export interface CockpitOptions {
  paths: AppPaths
  appState: AppStatePort
  notifier?: Notifier
  secrets?: SecretStore
  logger?: Logger
  clock?: () => Date
  user?: string
  /** Directory of the built-in demo; workspace files inside it are the demo's. */
  demoDir?: string
}

/** The composition root: builds every command domain over the ports and returns the cockpit. */
export function createCockpit(options: CockpitOptions): Promise<Cockpit> {
  const events = new EventHub()
  const session = new SessionHolder()
  const ctx: CockpitContext = {
    paths: options.paths,
    appState: options.appState,
    notifier: options.notifier ?? new RecordingNotifier(events),
    secrets: options.secrets ?? new KeytarSecretStore(),
    logger: options.logger ?? stderrLogger(),
    clock: options.clock ?? (() => new Date()),
    user: options.user ?? safeUserName(),
    events,
    session,
    failedCredentials: new Set(),
    isDemo: (file) => options.demoDir !== undefined && file.startsWith(options.demoDir),
    activate: async (view) => {
      await session.replace(view)
      events.emit('workspace.changed', view)
    },
  }
  const handlers: CommandHandlers = {
    ...workspaceCommands(ctx),
    ...preferenceCommands(ctx),
    ...credentialCommands(ctx),
    ...repoCommands(ctx),
    ...environmentCommands(ctx),
    ...deployCommands(ctx),
  }
  return Promise.resolve(new Cockpit(handlers, events, ctx.logger, () => session.closeAll()))
}

function safeUserName(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
