import type { WorkspaceView } from '../../../shared/api/views'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { checkEndpoint } from '../integrations/endpoint-check'
import { createWorkspace } from '../workspace/create-workspace'
import { loadWorkspace } from '../workspace/load'

type CreateHandlers = Pick<CommandHandlers, 'workspace.create' | 'endpoints.test'>

/** Creating a workspace file from the welcome screen's form, and testing its endpoints before saving. */
export function workspaceCreateCommands(ctx: CockpitContext): CreateHandlers {
  return {
    'workspace.create': async (input) => {
      const created = await createWorkspace(input, ctx.secrets)
      if (created.problems.length > 0)
        return { file: created.path, workspace: null, problems: created.problems, demo: false }
      // Opened exactly as `workspace.open` opens a file: read back from disk, remembered, activated.
      const loaded = await loadWorkspace(created.path)
      const view: WorkspaceView = {
        file: created.path,
        workspace: loaded.workspace,
        problems: loaded.problems,
        demo: false,
      }
      if (loaded.workspace) {
        ctx.appState.rememberWorkspace(created.path)
        await ctx.activate(view)
      }
      return view
    },
    'endpoints.test': (check) =>
      checkEndpoint(check, { secret: ctx.secret, bound: ctx.session.view?.workspace?.endpoints, timeoutMs: 5000 }),
  }
}
