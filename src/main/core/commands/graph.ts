import fs from 'node:fs'
import git from 'isomorphic-git'
import { AppError } from '../../../shared/errors'
import type { ProbeResult } from '../../../shared/models/environments'
import { GRAPH_PAGE_LIMIT } from '../../../shared/models/graph'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import type { CommitIndex } from '../git/commit-index'
import { commitDetails } from '../git/graph-layout-details'
import { GraphView } from '../git/graph-layout-view'

/** The branch graph: pages of the lane layout and a commit's details. */
export function graphCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'graph.page' | 'graph.commit' | 'graph.locate'> {
  // One layout per index and branch filter; a fetch opens a new index, so its layouts go with the old one.
  const views = new WeakMap<CommitIndex, Map<string, GraphView>>()
  const viewOf = (index: CommitIndex, branches: readonly string[] | undefined): GraphView => {
    const key = branches && branches.length > 0 ? JSON.stringify([...new Set(branches)].sort()) : ''
    let byFilter = views.get(index)
    if (!byFilter) views.set(index, (byFilter = new Map<string, GraphView>()))
    let view = byFilter.get(key)
    if (!view) {
      view = new GraphView(index, key === '' ? undefined : (JSON.parse(key) as string[]))
      byFilter.set(key, view)
    }
    return view
  }
  // Pins are a comfort: a graph without them beats no graph when probing fails. Values read before the clone
  // existed are resolved again by the runtime, as for the matrix.
  const probes = async (service: string): Promise<ProbeResult[]> =>
    (
      await ctx
        .runtime()
        .probeResults(false)
        .catch(() => [])
    ).filter((p) => p.service === service)

  return {
    'graph.page': async ({ service, offset, limit, branches }) => {
      if (
        !Number.isInteger(offset) ||
        offset < 0 ||
        !Number.isInteger(limit) ||
        limit < 0 ||
        limit > GRAPH_PAGE_LIMIT
      ) {
        throw new AppError('invalid-input', `A graph page is offset ≥ 0 and 0 … ${GRAPH_PAGE_LIMIT} rows.`, {
          offset,
          limit,
        })
      }
      const runtime = ctx.runtime()
      const index = await runtime.repos.index(service)
      const view = viewOf(index, branches)
      const pins = new Map<string, string[]>()
      for (const p of await probes(service))
        if (p.sha !== undefined) pins.set(p.sha, [...(pins.get(p.sha) ?? []), p.environment])
      return view.page(service, offset, limit, pins, (await runtime.repos.equivalence(service)).patchTwins())
    },
    'graph.locate': async ({ service, query, branches }) => {
      const runtime = ctx.runtime()
      const sha = await runtime.repos.resolve(service, query)
      const row = viewOf(await runtime.repos.index(service), branches).rowOf(sha)
      if (row < 0)
        throw new AppError('not-found', `${sha.slice(0, 7)} is not on the branches shown: show all branches to see it.`)
      return { sha, row }
    },
    'graph.commit': async ({ service, sha }) => {
      const runtime = ctx.runtime()
      const index = await runtime.repos.index(service)
      const full = await runtime.repos.resolve(service, sha)
      const { clones } = runtime.repos
      const message = await git
        .readCommit({ fs, gitdir: clones.gitdir(service), cache: clones.cache(service), oid: full })
        .then((c) => c.commit.message)
        .catch(() => index.get(full)?.subject ?? '')
      const twins = (await runtime.repos.equivalence(service)).sameChange(full)
      return commitDetails(service, index, full, message, await probes(service), twins)
    },
  }
}
