import * as fs from 'node:fs'
import type { Sha, TrainSettings } from '../../../../shared/models/workspace'
import type { CommitIndex } from '../../git/commit-index'
import { createPatchIds } from '../../git/patch-id'
import type { ServiceRepos } from '../../repos/service-repos'
import { summaryOf } from '../../repos/service-repos'
import type { HotfixBranchTip, TrainPorts } from '../ports'
import { hotfixBranchNames } from '../hotfix-branch'
import { firstParentAtTime } from '../sha-at-time'

/** A service's loaded history: its commit index and the patch-ids of the commits a hotfix check may compare. */
export interface LoadedHistory {
  index: CommitIndex
  /** Patch-id → commits with it, for hotfix fixes without a trailer and the default-branch commits since their base. */
  byPatch: Map<string, Sha[]>
  patchOf: Map<Sha, string>
  /** Trailer source → commits picked from it, built on first use. */
  picks?: Map<Sha, Sha[]>
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
 * Loads every service's index and the patch-ids the hotfix tracking needs, so the ports can then answer
 * synchronously. Patch-ids are computed for hotfix fixes that carry no cherry-pick trailer only.
 */
export async function loadHistories(
  repos: ServiceRepos,
  services: readonly { name: string; defaultBranch: string }[],
  settings: TrainSettings,
  patchFile?: (service: string) => string,
): Promise<Map<string, LoadedHistory>> {
  const out = new Map<string, LoadedHistory>()
  for (const s of services) {
    const index = await repos.index(s.name)
    const loaded: LoadedHistory = { index, byPatch: new Map(), patchOf: new Map() }
    out.set(s.name, loaded)
    const defaultTip = branchTip(index, s.defaultBranch)
    if (defaultTip === undefined) continue
    const refs = (await repos.clones.refs(s.name)).refs
    const bare = hotfixTips(s.name, index, settings, refs).flatMap((b) =>
      index
        .range(defaultTip, b.tip)
        .filter((sha) => index.get(sha)?.pickedFrom === undefined)
        .map((sha) => ({ sha, tip: b.tip })),
    )
    if (bare.length === 0) continue
    const repo = { fs, gitdir: repos.clones.gitdir(s.name), cache: repos.clones.cache(s.name) }
    const ids = createPatchIds(repo, patchFile ? { file: patchFile(s.name) } : {})
    const candidates = new Set<Sha>()
    for (const { sha, tip } of bare) {
      candidates.add(sha)
      const base = index.mergeBase(tip, defaultTip)
      for (const c of index.range(base === undefined ? [] : [base], defaultTip)) candidates.add(c)
    }
    for (const sha of candidates) {
      const id = await ids.patchId(sha)
      if (id === undefined) continue
      loaded.patchOf.set(sha, id)
      loaded.byPatch.set(id, [...(loaded.byPatch.get(id) ?? []), sha])
    }
    try {
      ids.save()
    } catch {
      // The cache file is an optimisation; a read-only state dir only costs recomputation.
    }
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
      const source = h.index.get(sha)?.pickedFrom
      if (source !== undefined && isAncestor(service, source, inHistoryOf)) return source
      h.picks ??= picksOf(h.index)
      const twin = (h.picks.get(sha) ?? []).find((c) => isAncestor(service, c, inHistoryOf))
      if (twin !== undefined) return twin
      const id = h.patchOf.get(sha)
      if (id === undefined) return undefined
      return (h.byPatch.get(id) ?? []).find((c) => c !== sha && isAncestor(service, c, inHistoryOf))
    },
  }
}

function picksOf(index: CommitIndex): Map<Sha, Sha[]> {
  const picks = new Map<Sha, Sha[]>()
  for (let pos = 0; pos < index.size; pos += 1) {
    const record = index.recordAt(pos)
    if (record.pickedFrom !== undefined)
      picks.set(record.pickedFrom, [...(picks.get(record.pickedFrom) ?? []), record.sha])
  }
  return picks
}
