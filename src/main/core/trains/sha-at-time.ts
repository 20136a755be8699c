import type { Sha } from '../../../shared/models/workspace'

/** The least a commit lookup must answer for the first-parent walk: parents and commit time in Unix seconds. */
export interface CommitTimes {
  get(sha: Sha): { parents: readonly Sha[]; time: number } | undefined
}

/**
 * The SHA a branch had at `instant`: walks first parents from `tip` to the newest commit whose commit time is
 * at or before the instant. Undefined when the branch had no such commit (or the walk leaves the known history).
 */
export function firstParentAtTime(commits: CommitTimes, tip: Sha, instant: Date): Sha | undefined {
  const limit = Math.floor(instant.getTime() / 1000)
  const seen = new Set<Sha>()
  let sha: Sha | undefined = tip
  while (sha !== undefined && !seen.has(sha)) {
    seen.add(sha)
    const commit = commits.get(sha)
    if (commit === undefined) return undefined
    if (commit.time <= limit) return sha
    sha = commit.parents[0]
  }
  return undefined
}
