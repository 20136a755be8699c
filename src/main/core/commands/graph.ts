import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** The branch graph: pages of the lane layout and a commit's details. */
export function graphCommands(ctx: CockpitContext): Pick<CommandHandlers, 'graph.page' | 'graph.commit'> {
  const pending = () => {
    ctx.runtime()
    return Promise.reject(new AppError('unsupported', 'The graph is not wired into this build yet.'))
  }
  return { 'graph.page': pending, 'graph.commit': pending }
}
