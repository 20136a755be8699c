import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** Deploy runs: preview, start, list, follow, abort, settle an unknown run, the journal's damage. */
export function deployCommands(
  ctx: CockpitContext,
): Pick<
  CommandHandlers,
  | 'deploys.preview'
  | 'deploys.start'
  | 'deploys.list'
  | 'deploys.get'
  | 'deploys.abort'
  | 'deploys.resolve'
  | 'deploys.journal'
> {
  const runner = () => ctx.runtime().runner
  return {
    'deploys.preview': (request) => runner().preview(withUser(request)),
    'deploys.start': (request) => runner().start(withUser(request)),
    'deploys.list': (filter) =>
      Promise.resolve(
        runner()
          .list(filter)
          .map((run) => ctx.runtime().ledgers.withLedger(run)),
      ),
    'deploys.get': ({ runId }) => {
      const found = runner().get(runId)
      return Promise.resolve({ ...found, run: ctx.runtime().ledgers.withLedger(found.run) })
    },
    'deploys.abort': ({ runId }) => runner().abort(runId),
    'deploys.resolve': ({ runId, state, note }) => Promise.resolve(runner().resolve(runId, state, note)),
    'deploys.journal': () => Promise.resolve(runner().journalHealth()),
  }
  function withUser<T extends { requestedBy?: string }>(request: T): T {
    return { ...request, requestedBy: request.requestedBy ?? ctx.user }
  }
}
