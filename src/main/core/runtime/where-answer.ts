import { AppError } from '../../../shared/errors'
import type { ProbeResult, WhereAnswer } from '../../../shared/models/environments'
import { resolveQuery, whereIs } from '../environments/where'
import { historyLoading } from '../git/commit-index-cut'
import { resolveTrain } from '../trains/adapters/lookup'
import type { WorkspaceRuntime } from './workspace-runtime'

/** Milliseconds a "where" answer may spend computing patch-ids the equivalence tables lack. */
const WHERE_BUDGET_MS = 1500

/**
 * "Is my commit deployed, and where?" over a workspace's clones, probes and journal (cherry-picks included).
 * `overrides` stand in for the last probe results of their service × environment (a run that just succeeded).
 */
export async function answerWhere(
  runtime: WorkspaceRuntime,
  now: Date,
  query: string,
  service?: string,
  overrides: ProbeResult[] = [],
): Promise<WhereAnswer> {
  const names = service ? [runtime.repos.service(service).name] : runtime.workspace.services.map((s) => s.name)
  const indexed = (
    await Promise.all(names.map(async (name) => ({ name, index: await runtime.repos.indexIfReady(name) })))
  ).flatMap((s) =>
    s.index ? [{ name: s.name, index: s.index, defaultBranch: runtime.repos.service(s.name).defaultBranch }] : [],
  )
  if (indexed.length === 0)
    throw new AppError('not-found', 'No service has a clone yet: fetch first (`trainyard fetch`).')
  let resolved = resolveQuery(query, indexed)
  // A train's name is a query too: what each service's default branch held at its cut.
  if (resolved.length === 0)
    resolved = await resolveTrain(
      runtime,
      now,
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
  const overridden = (p: ProbeResult) =>
    overrides.some((o) => o.service === p.service && o.environment === p.environment)
  const probes = [...(await runtime.probeResults(false)).filter((p) => !overridden(p)), ...overrides]
  const whereDeadline = performance.now() + WHERE_BUDGET_MS
  return whereIs({
    workspace: runtime.workspace,
    query,
    resolved,
    indexOf: (name) => Promise.resolve(indexed.find((s) => s.name === name)?.index),
    probes,
    runs: runtime.runner.list({}),
    // One budget for the whole answer: cells past it say "not yet known" while cherry-picks are indexed.
    equivalent: (name, sha, deployed) => runtime.repos.equivalent(name, sha, deployed, whereDeadline),
  })
}
