import { userInfo } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { AppPaths } from './app-paths'
import type { AppStatePort } from './app-state-port'
import { Cockpit, type CommandHandlers } from './cockpit'
import type { CockpitContext } from './cockpit-context'
import type { DemoPort, StartedDemo } from './demo-port'
import { coordinationCommands } from './commands/coordination'
import { credentialCommands } from './commands/credentials'
import { demoCommands } from './commands/demo'
import { deployCommands } from './commands/deploys'
import { setCommands } from './commands/sets'
import { environmentCommands } from './commands/environments'
import { graphCommands } from './commands/graph'
import { trainCommands } from './commands/trains'
import { preferenceCommands } from './commands/preferences'
import { repoCommands } from './commands/repos'
import { workspaceCommands } from './commands/workspace'
import { watchCredentialChecks } from './credentials/credential-checks'
import { CredentialStates } from './credentials/credential-states'
import { KeytarSecretStore } from './credentials/keytar-store'
import type { SecretStore } from './credentials/secret-store'
import { RecordingNotifier, type Notifier } from './deploy/notifier'
import { EventHub } from './events'
import { stderrLogger, type Logger } from './logger'
import { WorkspaceRuntime } from './runtime/workspace-runtime'
import { SessionHolder } from './session'
import { AppError } from '../../shared/errors'
import type { Identity } from '../../shared/models/coordination'
import { machineIdentity } from './coordination/identity'

/** The ports a cockpit is built from; each transport passes its own (Electron's notifier, conf or electron-store state…). */
export interface CockpitOptions {
  paths: AppPaths
  appState: AppStatePort
  notifier?: Notifier
  secrets?: SecretStore
  logger?: Logger
  clock?: () => Date
  user?: string
  /** Who writes the team's coordination records (default: the machine's git identity, else the OS user). */
  identity?: Identity
  /** The built-in demo; without it, `demo.start` answers `unsupported`. */
  demo?: DemoPort
  /** Directory of the built-in demo (default: `<data>/demo`, or TRAINYARD_DEMO_DIR). */
  demoDir?: string
  fetch?: typeof fetch
  /** A one-shot process (the CLI): no background work, so a command costs only what its answer needs. */
  oneShot?: boolean
}

/** The composition root: builds every command domain over the ports and returns the cockpit. */
export function createCockpit(options: CockpitOptions): Promise<Cockpit> {
  const events = new EventHub()
  const session = new SessionHolder()
  const secrets = options.secrets ?? new KeytarSecretStore()
  const demoDir = resolve(options.demoDir ?? process.env.TRAINYARD_DEMO_DIR ?? join(options.paths.data, 'demo'))
  let demo: Promise<StartedDemo> | undefined
  let runtime: WorkspaceRuntime | undefined
  let identity: Promise<Identity> | undefined

  const ctx: CockpitContext = {
    paths: options.paths,
    appState: options.appState,
    notifier: options.notifier ?? new RecordingNotifier(events),
    secrets,
    logger: options.logger ?? stderrLogger(),
    clock: options.clock ?? (() => new Date()),
    user: options.user ?? safeUserName(),
    events,
    session,
    demoDir,
    credentials: new CredentialStates(secrets),
    isDemo: (file) => dirname(resolve(file)) === demoDir,
    secret: async (name) => {
      const running = demo ? await demo.catch(() => undefined) : undefined
      return running?.secrets.get(name) ?? secrets.get(name)
    },
    runtime: () => {
      session.workspace()
      if (!runtime) throw new AppError('no-workspace', 'The workspace is still opening; try again in a moment.')
      return runtime
    },
    ensureDemo: async (reset = false) => {
      if (reset && demo) {
        await ctx.activate(null)
        await (await demo.catch(() => undefined))?.close()
        demo = undefined
      }
      const port = options.demo
      if (!port) throw new AppError('unsupported', 'This build of Trainyard has no built-in demo.')
      demo ??= port.start(demoDir, { reset, now: ctx.clock() })
      demo.catch(() => (demo = undefined))
      return (await demo).file
    },
    activate: async (view) => {
      await session.replace(view)
      runtime = undefined
      const workspace = view?.workspace
      if (workspace) {
        const built = new WorkspaceRuntime(workspace, {
          paths: ctx.paths,
          secret: ctx.secret,
          events,
          notifier: ctx.notifier,
          logger: ctx.logger,
          clock: ctx.clock,
          user: ctx.user,
          identity: options.identity ?? (await (identity ??= machineIdentity())),
          ...(view.demo ? { stateDir: join(demoDir, 'state') } : {}),
          ...(options.oneShot ? { backgroundWork: false } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })
        runtime = built
        session.onClose(() => built.close())
        session.onClose(watchCredentialChecks(workspace, events, ctx.credentials))
        built.start()
      }
      events.emit('workspace.changed', view)
    },
  }
  const workspaceHandlers = workspaceCommands(ctx)
  const handlers: CommandHandlers = {
    ...workspaceHandlers,
    ...demoCommands(ctx, (file) => workspaceHandlers['workspace.open']({ file })),
    ...preferenceCommands(ctx),
    ...credentialCommands(ctx),
    ...repoCommands(ctx),
    ...environmentCommands(ctx),
    ...deployCommands(ctx),
    ...setCommands(ctx),
    ...trainCommands(ctx),
    ...graphCommands(ctx),
    ...coordinationCommands(ctx),
  }
  const close = async () => {
    await session.closeAll()
    await (await demo?.catch(() => undefined))?.close()
  }
  return Promise.resolve(new Cockpit(handlers, events, ctx.logger, close))
}

function safeUserName(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
