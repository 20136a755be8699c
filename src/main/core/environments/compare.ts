import type { ComparedCommit, Comparison } from '../../../shared/models/commits'
import type { Sha } from '../../../shared/models/workspace'
import type { CommitIndex } from '../git/commit-index'
import type { Equivalence } from '../git/equivalence/equivalence'
import { summaryOf } from '../repos/service-repos'

/** At most this many commits per side are listed; counts stay exact. */
export const COMPARE_LIMIT = 500

/** Commits between two points of one service's history, both ways, with PR numbers and cherry-picks marked. */
export function compareShas(
  index: CommitIndex,
  service: string,
  from: { input: string; sha: Sha },
  to: { input: string; sha: Sha },
): Comparison & { aheadCount: number; behindCount: number } {
  const ahead = index.range(from.sha, to.sha)
  const behind = index.range(to.sha, from.sha)
  const mergeBase = index.mergeBase(from.sha, to.sha)
  const list = (shas: string[]) => shas.slice(0, COMPARE_LIMIT).flatMap((sha) => summaryOf(index, sha) ?? [])
  return {
    service,
    from,
    to,
    ahead: list(ahead),
    behind: list(behind),
    aheadCount: ahead.length,
    behindCount: behind.length,
    ...(mergeBase ? { mergeBase } : {}),
  }
}

/**
 * Marks each listed commit whose change the other side already has under another SHA (either side cherry-picked from
 * the other): ahead commits against `from`, behind commits against `to`. Trailers are always complete; patch-ids are
 * compared within `budgetMs` in all, after which the comparison says some marks may be missing.
 */
export async function markCherryPicks<T extends Comparison>(
  comparison: T,
  equivalence: Equivalence,
  budgetMs = 1500,
): Promise<T> {
  const deadline = performance.now() + budgetMs
  let pending: string | undefined
  const mark = async (commit: ComparedCommit, otherSide: Sha): Promise<ComparedCommit> => {
    const found =
      performance.now() < deadline
        ? await equivalence.find(commit.sha, otherSide, deadline)
        : (equivalence.findByTrailer(commit.sha, otherSide) ?? {
            pending: true as const,
            reason: 'Cherry-picks are still being indexed; ask again in a moment.',
          })
    if (found === undefined) return commit
    if ('pending' in found) {
      pending ??= found.reason
      return commit
    }
    return { ...commit, alreadyAs: { sha: found.sha, via: found.via } }
  }
  const ahead: ComparedCommit[] = []
  for (const c of comparison.ahead) ahead.push(await mark(c, comparison.from.sha))
  const behind: ComparedCommit[] = []
  for (const c of comparison.behind) behind.push(await mark(c, comparison.to.sha))
  return { ...comparison, ahead, behind, ...(pending !== undefined ? { cherryPicksPending: pending } : {}) }
}
