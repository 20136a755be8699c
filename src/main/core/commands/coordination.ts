import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** The team's shared picture (locks, sign-offs, runs in progress) and this machine's watches. */
export function coordinationCommands(
  ctx: CockpitContext,
): Pick<
  CommandHandlers,
  | 'coordination.state'
  | 'coordination.lock'
  | 'coordination.unlock'
  | 'coordination.signoff'
  | 'watches.add'
  | 'watches.list'
  | 'watches.remove'
> {
  const team = () => ctx.runtime().team
  return {
    'coordination.state': ({ refresh }) => team().coordination.state(refresh ?? false),
    'coordination.lock': async (request) => {
      const lock = await team().coordination.lock(request)
      team().webhooks.lockChanged(lock, 'locked')
      return lock
    },
    'coordination.unlock': async ({ lockId }) => {
      const lock = await team().coordination.unlock(lockId)
      team().webhooks.lockChanged(lock, 'unlocked')
      return lock
    },
    'coordination.signoff': async ({ service, target, environment, note }) => {
      const runtime = ctx.runtime()
      const sha = await runtime.repos.resolve(runtime.repos.service(service).name, target)
      return team().coordination.signoff(service, sha, environment, note)
    },
    'watches.add': async ({ query, environment }) => {
      const runtime = ctx.runtime()
      if (!runtime.workspace.environments.some((e) => e.name === environment))
        throw new AppError('not-found', `There is no environment "${environment}" in ${runtime.workspace.name}.`)
      return team().watches.add(query, environment)
    },
    'watches.list': () => team().watches.list(),
    'watches.remove': async ({ id }) => {
      await team().watches.remove(id)
      return null
    },
  }
}
