import { AppError } from '../../../shared/errors'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { compareShas, markCherryPicks } from '../environments/compare'
import { HISTORY_LOADING, historyLoading } from '../git/commit-index-cut'
import { buildMatrix } from '../environments/matrix'
import { resolveQuery, whereIs } from '../environments/where'
import { boardIfReady, resolveTrain } from '../trains/adapters/lookup'

/** Milliseconds a "where" answer may spend computing patch-ids the equivalence tables lack. */
const WHERE_BUDGET_MS = 1500

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
    'environments.where': async ({ query, service }) => {
      const runtime = ctx.runtime()
      const names = service ? [runtime.repos.service(service).name] : runtime.workspace.services.map((s) => s.name)
      const indexed = (
        await Promise.all(names.map(async (name) => ({ name, index: await runtime.repos.indexIfReady(name) })))
      ).flatMap((s) =>
        s.index
          ? [
              {
                name: s.name,
                index: s.index,
                defaultBranch: runtime.repos.service(s.name).defaultBranch,
              },
            ]
          : [],
      )
      if (indexed.length === 0)
        throw new AppError('not-found', 'No service has a clone yet: fetch first (`trainyard fetch`).')
      let resolved = resolveQuery(query, indexed)
      // A train's name is a query too: what each service's default branch held at its cut.
      if (resolved.length === 0)
        resolved = await resolveTrain(
          runtime,
          ctx.clock(),
          query,
          indexed.map((s) => s.name),
        )
      // A commit older than what a shallow clone has fetched so far is not unknown, only not there yet.
      if (resolved.length === 0 && indexed.some((s) => s.index.partial)) throw historyLoading()
      if (resolved.length === 0) {
        throw new AppError(
          'not-found',
          `No service has a commit, pull request, branch, tag or train "${query}". Check it, or fetch if it is new.`,
          { fetch: true },
        )
      }
      const whereDeadline = performance.now() + WHERE_BUDGET_MS
      return whereIs({
        workspace: runtime.workspace,
        query,
        resolved,
        indexOf: (name) => Promise.resolve(indexed.find((s) => s.name === name)?.index),
        probes: await runtime.probeResults(false),
        runs: runtime.runner.list({}),
        // One budget for the whole answer: cells past it say "not yet known" while cherry-picks are indexed.
        equivalent: (name, sha, deployed) => runtime.repos.equivalent(name, sha, deployed, whereDeadline),
      })
    },
  }
}
