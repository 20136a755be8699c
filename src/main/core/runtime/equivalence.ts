import * as fs from 'node:fs'
import { join } from 'node:path'
import type { Sha } from '../../../shared/models/workspace'
import type { EquivalentFinder } from '../environments/where'
import { findEquivalent } from '../git/equivalence'
import { createPatchIds, type PatchIds } from '../git/patch-id'
import type { ServiceRepos } from '../repos/service-repos'

/** Most candidates a single question looks at by patch-id (the trailer is checked on all of them). */
const PATCH_ID_CANDIDATES = 2000

/**
 * Finds the same change in a deployed history: the cherry-pick trailer first (free, from the index),
 * then stable patch-ids (computed lazily, cached per service in the cache dir), cheapest first.
 */
export function equivalentFinder(repos: ServiceRepos, cacheDir: string): EquivalentFinder {
  const patchIds = new Map<string, PatchIds>()
  const idsOf = (service: string): PatchIds => {
    let ids = patchIds.get(service)
    if (!ids) {
      fs.mkdirSync(join(cacheDir, 'patch-ids'), { recursive: true })
      ids = createPatchIds(
        { fs, gitdir: repos.clones.gitdir(service), cache: repos.clones.cache(service) },
        { file: join(cacheDir, 'patch-ids', `${service}.json`) },
      )
      patchIds.set(service, ids)
    }
    return ids
  }
  return async (service, index, sha, deployed) => {
    // Commits the deployed SHA has and `sha`'s history lacks: where a copy of the change could be.
    const candidates = index.range(sha, deployed)
    const trailer = (s: Sha): Promise<Sha[]> =>
      Promise.resolve(index.get(s)?.pickedFrom ? [index.get(s)?.pickedFrom ?? ''] : [])
    const ids = idsOf(service)
    const found = await findEquivalent({
      commit: sha,
      candidates: candidates.slice(0, PATCH_ID_CANDIDATES),
      readTrailer: trailer,
      patchIdOf: (s) => ids.patchId(s),
      headerIdOf: (s) => ids.headerId(s),
    })
    try {
      ids.save()
    } catch {
      // The cache is a comfort: a patch-id not saved is computed again next time.
    }
    return found
  }
}
