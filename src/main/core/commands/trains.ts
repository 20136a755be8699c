import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** Release trains and the hotfix flow. */
export function trainCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'trains.board' | 'trains.cut' | 'trains.promote' | 'hotfix.create' | 'hotfix.pick' | 'hotfix.push'> {
  const pending = () => {
    ctx.runtime()
    return Promise.reject(new AppError('unsupported', 'Trains are not wired into this build yet.'))
  }
  return { 'trains.board': pending, 'trains.cut': pending, 'trains.promote': pending, 'hotfix.create': pending, 'hotfix.pick': pending, 'hotfix.push': pending }
}
