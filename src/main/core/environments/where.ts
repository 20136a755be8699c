import type { DeployRun } from '../../../shared/models/deploys'
import type { ProbeResult, WhereAnswer, WhereCell } from '../../../shared/models/environments'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import type { CommitIndex } from '../git/commit-index'
import { resolveTarget } from '../workspace/resolve-target'

/** Finds, in `deployed`'s history, a commit that is the same change as `sha` (trailer or patch-id). */
export type EquivalentFinder = (
  service: string,
  index: CommitIndex,
  sha: Sha,
  deployed: Sha,
) => Promise<{ sha: Sha; via: 'trailer' | 'patch-id' } | undefined>

/** What a "where is my commit" query named in one service. */
export interface ResolvedQuery {
  service: string
  sha: Sha
  via: 'sha' | 'pr' | 'branch' | 'ref' | 'train'
}

/**
 * Resolves a query (full/short SHA, `#PR`, branch or tag) in every service that knows it. A PR number
 * names the commit merged to the default branch, even when a copy on another branch has the same subject.
 */
export function resolveQuery(
  query: string,
  services: { name: string; index: CommitIndex; refs: ReadonlyMap<string, string>; defaultBranch?: string }[],
): ResolvedQuery[] {
  const text = query.trim()
  const out: ResolvedQuery[] = []
  const pr = /^#?(\d+)$/.exec(text)
  const hex = /^[0-9a-f]{4,40}$/i.test(text)
  for (const { name, index, refs, defaultBranch } of services) {
    if (pr && (text.startsWith('#') || !hex)) {
      const found = index.findByPr(Number(pr[1]))
      const main = defaultBranch
        ? (refs.get(`refs/remotes/origin/${defaultBranch}`) ?? refs.get(`refs/heads/${defaultBranch}`))
        : undefined
      const sha = (main ? found.find((s) => index.isAncestor(s, main)) : undefined) ?? found[0]
      if (sha) out.push({ service: name, sha, via: 'pr' })
      continue
    }
    const ref = [text, `refs/heads/${text}`, `refs/remotes/origin/${text}`, `refs/tags/${text}`]
      .map((r) => refs.get(r))
      .find((s) => s !== undefined)
    if (ref) {
      out.push({
        service: name,
        sha: ref,
        via: text.includes('tags/') || refs.has(`refs/tags/${text}`) ? 'ref' : 'branch',
      })
      continue
    }
    if (hex) {
      const candidates = index.resolvePrefix(text.toLowerCase())
      if (candidates.length === 1 && candidates[0]) out.push({ service: name, sha: candidates[0], via: 'sha' })
    }
  }
  return out
}

/**
 * For each service × environment: is the commit deployed there, deployed as a cherry-pick, not deployed,
 * or unknown (the probe failed)? "Since" is the end of the first successful deploy, in the journal, of a
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
        cells.push({
          ...base,
          state: 'unknown',
          ...(probe?.error ? { error: probe.error } : {}),
          ...(probe?.sha ? { deployedSha: probe.sha } : {}),
        })
        continue
      }
      const deployed = probe.sha
      if (index.isAncestor(resolved.sha, deployed)) {
        const since = firstDeployContaining(
          input.runs,
          resolved.service,
          env.name,
          (sha) => index.has(sha) && index.isAncestor(resolved.sha, sha),
        )
        cells.push({ ...base, state: 'deployed', deployedSha: deployed, ...(since ? { since } : {}) })
        continue
      }
      const twin = await input.equivalent(resolved.service, index, resolved.sha, deployed)
      if (twin) {
        const since = firstDeployContaining(
          input.runs,
          resolved.service,
          env.name,
          (sha) => index.has(sha) && index.isAncestor(twin.sha, sha),
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

function firstDeployContaining(
  runs: DeployRun[],
  service: string,
  environment: string,
  contains: (sha: Sha) => boolean,
): string | undefined {
  return runs
    .filter(
      (r) =>
        r.service === service &&
        r.environment === environment &&
        r.state === 'succeeded' &&
        r.endedAt &&
        contains(r.sha),
    )
    .map((r) => r.endedAt ?? '')
    .sort()[0]
}
