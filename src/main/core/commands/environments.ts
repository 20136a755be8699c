import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** What runs where. */
export function environmentCommands(ctx: CockpitContext): Pick<CommandHandlers, 'environments.matrix' | 'environments.compare' | 'environments.where'> {
  const pending = () => {
    ctx.session.workspace()
    return Promise.reject(new AppError('unsupported', 'Environments are not wired into this build yet.'))
  }
  return { 'environments.matrix': pending, 'environments.compare': pending, 'environments.where': pending }
}
