import type { Comparison } from '../../../shared/models/commits'
import type { Sha } from '../../../shared/models/workspace'
import type { CommitIndex } from '../git/commit-index'
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
