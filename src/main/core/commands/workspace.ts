import { resolve } from 'node:path'
import type { WorkspaceView } from '../../../shared/api/views'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { loadWorkspace } from '../workspace/load'
import { workspaceCreateCommands } from './workspace-create'

type WorkspaceHandlers = Pick<
  CommandHandlers,
  | 'workspace.open'
  | 'workspace.current'
  | 'workspace.validate'
  | 'workspace.recent'
  | 'workspace.close'
  | 'workspace.create'
  | 'endpoints.test'
>

/** Opening, validating and closing workspace files. */
export function workspaceCommands(ctx: CockpitContext): WorkspaceHandlers {
  return {
    'workspace.open': async ({ file }) => {
      const path = resolve(file)
      // The demo's file names this run's loopback servers: start them (and rewrite it) before reading it.
      if (ctx.isDemo(path)) await ctx.ensureDemo()
      const loaded = await loadWorkspace(path)
      const view: WorkspaceView = {
        file: path,
        workspace: loaded.workspace,
        problems: loaded.problems,
        demo: ctx.isDemo(path),
      }
      if (loaded.workspace) {
        ctx.appState.rememberWorkspace(path)
        await ctx.activate(view)
      }
      return view
    },
    'workspace.current': () => Promise.resolve(ctx.session.view),
    'workspace.validate': async ({ file }) => (await loadWorkspace(resolve(file))).problems,
    'workspace.recent': () => Promise.resolve(ctx.appState.recentWorkspaces()),
    ...workspaceCreateCommands(ctx),
    'workspace.close': async () => {
      await ctx.activate(null)
      return null
    },
  }
}
