import type { Sha, TrainSettings } from '../../../../shared/models/workspace'
import type { CommitIndex } from '../../git/commit-index'
import type { Equivalence } from '../../git/equivalence/equivalence'
import type { ServiceRepos } from '../../repos/service-repos'
import { summaryOf } from '../../repos/service-repos'
import type { HotfixBranchTip, TrainPorts } from '../ports'
import { hotfixBranchNames } from '../hotfix-branch'
import { firstParentAtTime } from '../sha-at-time'

/** A service's loaded history: its commit index and its equivalence table, prepared for the hotfix checks. */
export interface LoadedHistory {
  index: CommitIndex
  equivalence: Equivalence
}

/** The tip of a branch in a clone's index: the remote's branch first, else the local one. */
export function branchTip(index: CommitIndex, branch: string): Sha | undefined {
  return index.refs.get(`refs/remotes/origin/${branch}`) ?? index.refs.get(`refs/heads/${branch}`)
}

/**
 * Hotfix branch tips of a service as its clone holds them: branches matching the pattern (any region) under
 * `refs/heads/` (made here, maybe not pushed) and `refs/remotes/origin/`; the local one wins when both exist.
 */
export function hotfixTips(
  service: string,
  index: CommitIndex,
  settings: TrainSettings,
  refs: ReadonlyMap<string, Sha> = index.refs,
): HotfixBranchTip[] {
  const branches = new Map<string, Sha>()
  for (const branch of hotfixBranchNames(settings)) {
    const tip = refs.get(`refs/heads/${branch}`) ?? refs.get(`refs/remotes/origin/${branch}`)
    if (tip !== undefined && index.has(tip)) branches.set(branch, tip)
  }
  return [...branches].map(([branch, tip]) => ({ service, branch, tip }))
}

/**
 * Loads every service's index and equivalence table, so the ports can then answer synchronously. The ids the hotfix
 * tracking compares (fixes without a cherry-pick trailer against the default branch since their base) are computed
 * now when the background fill has not reached them yet.
 */
export async function loadHistories(
  repos: ServiceRepos,
  services: readonly { name: string; defaultBranch: string }[],
  settings: TrainSettings,
): Promise<Map<string, LoadedHistory>> {
  const out = new Map<string, LoadedHistory>()
  for (const s of services) {
    const index = await repos.index(s.name)
    const equivalence = await repos.equivalence(s.name)
    out.set(s.name, { index, equivalence })
    const defaultTip = branchTip(index, s.defaultBranch)
    if (defaultTip === undefined) continue
    const refs = (await repos.clones.refs(s.name)).refs
    const bare: Sha[] = []
    const candidates = new Set<Sha>()
    for (const b of hotfixTips(s.name, index, settings, refs)) {
      const fixes = index.range(defaultTip, b.tip).filter((sha) => index.get(sha)?.pickedFrom === undefined)
      if (fixes.length === 0) continue
      bare.push(...fixes)
      const base = index.mergeBase(b.tip, defaultTip)
      for (const c of index.range(base === undefined ? [] : [base], defaultTip)) candidates.add(c)
    }
    if (bare.length > 0) await equivalence.prepare(bare, [...candidates])
  }
  return out
}

/** The trains' ports over loaded histories; SHAs an index does not hold count as unrelated. */
export function trainPorts(histories: Map<string, LoadedHistory>): TrainPorts {
  const of = (service: string): LoadedHistory | undefined => histories.get(service)
  const isAncestor = (service: string, a: Sha, d: Sha): boolean => {
    const index = of(service)?.index
    return index !== undefined && index.has(a) && index.has(d) && index.isAncestor(a, d)
  }
  return {
    shaAtTime(service, branch, instant) {
      const index = of(service)?.index
      const tip = index === undefined ? undefined : branchTip(index, branch)
      if (index === undefined || tip === undefined) return undefined
      return firstParentAtTime({ get: (sha) => index.get(sha) }, tip, instant)
    },
    isAncestor,
    range(service, exclude, include) {
      const index = of(service)?.index
      if (index === undefined || !index.has(include)) return []
      const ex = exclude !== undefined && index.has(exclude) ? [exclude] : []
      return index.range(ex, include).flatMap((sha) => summaryOf(index, sha) ?? [])
    },
    equivalent(service, sha, inHistoryOf) {
      const h = of(service)
      if (h === undefined || !h.index.has(sha) || !h.index.has(inHistoryOf)) return undefined
      const found = h.equivalence.findKnown(sha, inHistoryOf)
      return found === undefined || 'pending' in found ? undefined : found.sha
    },
  }
}
