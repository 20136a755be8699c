import type { Sha } from '../../../shared/models/workspace'
import { RepoObjects } from './objects/repo-objects'
import type { RepoAccess } from './objects/repo-objects'
import { pickedFrom } from './merge/pick-message'

/** How an equivalent commit was recognised: a cherry-pick trailer, or an equal patch-id. */
export type EquivalenceVia = 'trailer' | 'patch-id'

/** The question "is `commit` already among `candidates` under another sha?" and the ways to answer it. */
export interface EquivalenceQuery {
  commit: Sha
  /** Commits to look among, e.g. a range of a branch from the commit index. */
  candidates: readonly Sha[]
  /** The shas a commit's "(cherry picked from commit X)" lines name. */
  readTrailer: (sha: Sha) => Promise<Sha[]>
  patchIdOf: (sha: Sha) => Promise<string | undefined>
  /** A cheap prefilter: commits whose header ids differ cannot share a patch-id. */
  headerIdOf?: (sha: Sha) => Promise<string | undefined>
}

/**
 * The candidate that carries the same change as `commit`, cheapest evidence first: the commit's
 * own trailer naming a candidate, a candidate's trailer naming the commit, then patch-ids (only
 * for candidates whose header id matches, when header ids are given). Work stops at the first hit.
 */
export async function findEquivalent(q: EquivalenceQuery): Promise<{ sha: Sha; via: EquivalenceVia } | undefined> {
  const named = await q.readTrailer(q.commit)
  for (const source of named) {
    const hit = q.candidates.find((c) => sameSha(c, source))
    if (hit !== undefined) return { sha: hit, via: 'trailer' }
  }
  for (const candidate of q.candidates) {
    if ((await q.readTrailer(candidate)).some((s) => sameSha(s, q.commit))) return { sha: candidate, via: 'trailer' }
  }
  const header = q.headerIdOf ? await q.headerIdOf(q.commit) : undefined
  if (q.headerIdOf && header === undefined) return undefined
  let own: string | undefined
  let ownKnown = false
  for (const candidate of q.candidates) {
    if (candidate === q.commit) continue
    if (q.headerIdOf && (await q.headerIdOf(candidate)) !== header) continue
    if (!ownKnown) {
      own = await q.patchIdOf(q.commit)
      ownKnown = true
      if (own === undefined) return undefined
    }
    if ((await q.patchIdOf(candidate)) === own) return { sha: candidate, via: 'patch-id' }
  }
  return undefined
}

/** Reads the "(cherry picked from commit X)" trailers of commits in a repository. */
export function trailerReader(repo: RepoAccess): (sha: Sha) => Promise<Sha[]> {
  const store = new RepoObjects(repo)
  return async (sha) => pickedFrom((await store.readCommit(sha)).message.toString('latin1'))
}

// Trailers may carry an abbreviated sha; a full sha and its prefix name the same commit.
function sameSha(a: Sha, b: Sha): boolean {
  return a.length >= b.length ? a.startsWith(b) : b.startsWith(a)
}
