import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** Clones: status, fetch (cloning first when needed), cancel. */
export function repoCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'repos.status' | 'repos.fetch' | 'repos.cancel'> {
  return {
    'repos.status': () => ctx.runtime().repos.status(),
    'repos.fetch': async ({ service }) => {
      const { repos } = ctx.runtime()
      const names = service ? [repos.service(service).name] : repos.services.map((s) => s.name)
      // One service after another: clones are memory-hungry, and the progress bars read better.
      repos.queue(names)
      for (const name of names) {
        try {
          await repos.fetch(name)
        } catch (error) {
          if (service) throw error
          ctx.runtime().report(error)
        }
        for (const status of (await repos.status()).filter((s) => s.service === name))
          ctx.events.emit('repos.fetched', status)
      }
      // The team's records travel with the services (a failure is shown in its views, never thrown here).
      if (!service) await ctx.runtime().team.coordination.fetch()
      return (await repos.status()).filter((s) => names.includes(s.service))
    },
    'repos.cancel': ({ service }) => {
      const { repos } = ctx.runtime()
      repos.service(service)
      if (!repos.clones.cancel(service)) throw new AppError('not-found', `${service} has no clone or fetch under way.`)
      return Promise.resolve(null)
    },
  }
}
