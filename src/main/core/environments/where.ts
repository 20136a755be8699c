import type { DeployRun } from '../../../shared/models/deploys'
import type { ProbeResult, WhereAnswer, WhereCell } from '../../../shared/models/environments'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import { AppError } from '../../../shared/errors'
import type { CommitIndex } from '../git/commit-index'
import { historyLoading } from '../git/commit-index-cut'
import type { EquivalenceAnswer } from '../git/equivalence/equivalence'
import { resolveInput, type ResolvedVia } from '../repos/resolve-input'
import { resolveTarget } from '../workspace/resolve-target'

/**
 * Finds, in `deployed`'s history, a commit that is the same change as `sha` (trailer or patch-id), none, or says the
 * answer is not known yet (the service's cherry-pick index is still being built).
 */
export type EquivalentFinder = (service: string, sha: Sha, deployed: Sha) => Promise<EquivalenceAnswer>

/** What a "where is my commit" query named in one service. */
export interface ResolvedQuery {
  service: string
  sha: Sha
  via: ResolvedVia | 'train'
}

/**
 * Resolves a query in every service that knows it, by the one resolver (`resolveInput`): full/short SHA, `#PR` (the
 * commit on the default branch), branch or tag. A service where it names nothing is left out; when it names nothing
 * anywhere, the first service's error says why (ambiguous, not in the clone, not found).
 */
export function resolveQuery(
  query: string,
  services: { name: string; index: CommitIndex; defaultBranch?: string }[],
): ResolvedQuery[] {
  const out: ResolvedQuery[] = []
  let firstError: unknown
  for (const { name, index, defaultBranch } of services) {
    try {
      out.push({ service: name, ...resolveInput(index, query, defaultBranch) })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      firstError ??= error
    }
  }
  if (out.length === 0 && firstError instanceof AppError && firstError.code === 'ambiguous-sha') throw firstError
  return out
}

/**
 * For each service × environment: is the commit deployed there, deployed as a cherry-pick, not deployed,
 * or unknown (the probe failed, cherry-picks are still being indexed, or a shallow clone's history is still loading:
 * never "not deployed" then, both with error code `not-ready`)? "Since" is the end of the first successful deploy, in the journal, of a
 * SHA that contains it.
 */
export async function whereIs(input: {
  workspace: Workspace
  query: string
  resolved: ResolvedQuery[]
  indexOf: (service: string) => Promise<CommitIndex | undefined>
  probes: ProbeResult[]
  runs: DeployRun[]
  equivalent: EquivalentFinder
}): Promise<WhereAnswer> {
  const cells: WhereCell[] = []
  const answer: WhereAnswer = { query: input.query, resolved: [], cells }
  for (const resolved of input.resolved) {
    const index = await input.indexOf(resolved.service)
    if (!index) continue
    answer.resolved.push({ ...resolved, subject: index.get(resolved.sha)?.subject ?? '' })
    for (const env of input.workspace.environments) {
      if (resolveTarget(input.workspace, resolved.service, env.name).skip) continue
      const probe = input.probes.find((p) => p.service === resolved.service && p.environment === env.name)
      const base = { service: resolved.service, environment: env.name }
      if (!probe?.sha || !index.has(probe.sha)) {
        // What runs there may be older than what a shallow clone has fetched so far.
        const loading = probe?.sha !== undefined && !probe.error && index.partial
        cells.push({
          ...base,
          state: 'unknown',
          ...(probe?.error ? { error: probe.error } : {}),
          ...(loading ? { error: historyLoading(resolved.service).toData() } : {}),
          ...(probe?.sha ? { deployedSha: probe.sha } : {}),
        })
        continue
      }
      const deployed = probe.sha
      const contains = ancestry(index, resolved.sha, deployed)
      if (contains === undefined) {
        // A shallow clone still deepening: the answer lies in history not fetched yet.
        cells.push({
          ...base,
          state: 'unknown',
          deployedSha: deployed,
          error: historyLoading(resolved.service).toData(),
        })
        continue
      }
      if (contains) {
        const since = firstDeployContaining(input.runs, resolved.service, env.name, (sha) =>
          index.has(sha) ? ancestry(index, resolved.sha, sha) : false,
        )
        cells.push({ ...base, state: 'deployed', deployedSha: deployed, ...(since ? { since } : {}) })
        continue
      }
      const twin = await input.equivalent(resolved.service, resolved.sha, deployed)
      if (twin !== undefined && 'pending' in twin) {
        cells.push({
          ...base,
          state: 'unknown',
          deployedSha: deployed,
          error: { code: 'not-ready', message: `${resolved.service}: ${twin.reason}` },
        })
        continue
      }
      if (twin) {
        const since = firstDeployContaining(input.runs, resolved.service, env.name, (sha) =>
          index.has(sha) ? ancestry(index, twin.sha, sha) : false,
        )
        cells.push({
          ...base,
          state: 'deployed-as-cherry-pick',
          deployedSha: deployed,
          equivalentSha: twin.sha,
          via: twin.via,
          ...(since ? { since } : {}),
        })
        continue
      }
      cells.push({ ...base, state: 'not-deployed', deployedSha: deployed })
    }
  }
  return answer
}

/** Whether `a` is an ancestor of `d`, or undefined while a shallow clone lacks the history that would tell. */
export function ancestry(index: CommitIndex, a: Sha, d: Sha): boolean | undefined {
  try {
    return index.isAncestor(a, d)
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-ready') return undefined
    throw error
  }
}

// The end of the first successful run whose SHA contains the commit; none when one of them cannot tell yet.
function firstDeployContaining(
  runs: DeployRun[],
  service: string,
  environment: string,
  contains: (sha: Sha) => boolean | undefined,
): string | undefined {
  const ends: string[] = []
  for (const r of runs) {
    if (r.service !== service || r.environment !== environment || r.state !== 'succeeded' || !r.endedAt) continue
    const known = contains(r.sha)
    if (known === undefined) return undefined
    if (known) ends.push(r.endedAt)
  }
  return ends.sort()[0]
}
