import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { compareShas, markCherryPicks } from '../environments/compare'
import { HISTORY_LOADING } from '../git/commit-index-cut'
import { buildMatrix } from '../environments/matrix'
import { answerWhere } from '../runtime/where-answer'
import { boardIfReady } from '../trains/adapters/lookup'

/** What runs where: the matrix, comparisons, and "where is my commit". */
export function environmentCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'environments.matrix' | 'environments.compare' | 'environments.where'> {
  return {
    'environments.matrix': async ({ refresh }) => {
      const runtime = ctx.runtime()
      const probes = await runtime.probeResults(refresh ?? false)
      const board = await boardIfReady(runtime, ctx.clock())
      return buildMatrix({
        workspace: runtime.workspace,
        probes,
        ...(board ? { trains: board.regions.flatMap((r) => r.cells) } : {}),
        indexOf: (service) => runtime.repos.indexIfReady(service),
        runs: runtime.runner.list({}),
        lastSeen: runtime.lastSeen,
        now: ctx.clock(),
      })
    },
    'environments.compare': async ({ service, from, to }) => {
      const runtime = ctx.runtime()
      const index = await runtime.repos.index(runtime.repos.service(service).name)
      const probes = await runtime.probeResults(false)
      // An environment's name stands for the SHA it runs.
      const point = async (input: string) => {
        const env = runtime.workspace.environments.find((e) => e.name === input)
        if (env) {
          const probe = probes.find((p) => p.service === service && p.environment === env.name)
          const sha = probe?.sha
          // What it runs is older than the recent history a shallow first clone holds so far.
          if (!sha && probe?.error?.code === 'not-ready') throw new AppError('not-ready', probe.error.message)
          if (!sha)
            throw new AppError('not-found', `What ${service} runs in ${env.name} is not known: refresh the matrix.`)
          return { input, sha }
        }
        return { input, sha: await runtime.repos.resolve(service, input) }
      }
      const comparison = compareShas(index, service, await point(from), await point(to))
      // Patch-ids wait for the whole history; the range itself is exact here (compareShas throws `not-ready` else).
      if (index.partial) return { ...comparison, cherryPicksPending: HISTORY_LOADING }
      return markCherryPicks(comparison, await runtime.repos.equivalence(service))
    },
    'environments.where': ({ query, service }) => answerWhere(ctx.runtime(), ctx.clock(), query, service),
  }
}
