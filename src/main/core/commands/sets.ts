import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** Set promotions: preview, start, list, follow, resume after a restart, abort the rest. */
export function setCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'sets.preview' | 'sets.start' | 'sets.list' | 'sets.get' | 'sets.resume' | 'sets.abort'> {
  const sets = () => ctx.runtime().sets
  return {
    'sets.preview': (request) => sets().preview(request),
    'sets.start': (request) => sets().start({ ...request, requestedBy: request.requestedBy ?? ctx.user }),
    'sets.list': () => Promise.resolve(sets().list()),
    'sets.get': ({ setId }) => Promise.resolve(sets().get(setId)),
    'sets.resume': ({ setId }) => Promise.resolve(sets().resume(setId)),
    'sets.abort': ({ setId }) => Promise.resolve(sets().abort(setId)),
  }
}
