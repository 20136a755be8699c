import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** Deploy runs. */
export function deployCommands(ctx: CockpitContext): Pick<CommandHandlers, 'deploys.preview' | 'deploys.start' | 'deploys.list' | 'deploys.get' | 'deploys.abort' | 'deploys.resolve'> {
  const pending = () => {
    ctx.session.workspace()
    return Promise.reject(new AppError('unsupported', 'Deploys are not wired into this build yet.'))
  }
  return { 'deploys.preview': pending, 'deploys.start': pending, 'deploys.list': pending, 'deploys.get': pending, 'deploys.abort': pending, 'deploys.resolve': pending }
}
