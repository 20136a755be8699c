import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** Clones: status, fetch, cancel. */
export function repoCommands(ctx: CockpitContext): Pick<CommandHandlers, 'repos.status' | 'repos.fetch' | 'repos.cancel'> {
  const pending = () => {
    ctx.session.workspace()
    return Promise.reject(new AppError('unsupported', 'Clones are not wired into this build yet.'))
  }
  return { 'repos.status': pending, 'repos.fetch': pending, 'repos.cancel': pending }
}
