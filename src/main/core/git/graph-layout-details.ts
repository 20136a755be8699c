import { AppError } from '../../../shared/errors'
import type { ProbeResult } from '../../../shared/models/environments'
import type { CommitDetails } from '../../../shared/models/graph'
import type { CommitIndex } from './commit-index'
import type { Equivalent } from './equivalence/equivalence'
import { refLabel } from './graph-layout-view'

/** Branches (short names, sorted) whose tip contains `sha`. */
export function branchesContaining(index: CommitIndex, sha: string): string[] {
  const out = new Set<string>()
  for (const [ref, tip] of index.refs) {
    const label = refLabel(ref)
    if (label?.kind === 'branch' && index.has(tip) && index.isAncestor(sha, tip)) out.add(label.name)
  }
  return [...out].sort()
}

/**
 * A commit's details for the graph's side panel: `message` is the full message (read from the
 * commit object by the caller); `probes` are the service's latest probe results, for the environments
 * whose deployed SHA contains the commit; `twins` are the commits known to carry the same change
 * (the equivalence table's `sameChange`).
 */
export function commitDetails(
  service: string,
  index: CommitIndex,
  sha: string,
  message: string,
  probes: readonly ProbeResult[],
  twins: readonly Equivalent[],
): CommitDetails {
  const record = index.get(sha.toLowerCase())
  if (!record)
    throw new AppError('sha-not-in-clone', `Commit ${sha} is not in the clone of ${service}; fetch and try again.`, {
      sha,
    })
  const containedIn = new Set<string>()
  for (const p of probes) {
    if (p.service === service && p.sha !== undefined && index.has(p.sha) && index.isAncestor(record.sha, p.sha))
      containedIn.add(p.environment)
  }
  const equivalents = twins
    .filter((t) => index.has(t.sha))
    .map((t) => ({ sha: t.sha, via: t.via, branches: branchesContaining(index, t.sha) }))
  return {
    service,
    sha: record.sha,
    parents: record.parents,
    author: { name: record.authorName, email: record.authorEmail },
    time: new Date(record.time * 1000).toISOString(),
    message,
    ...(record.pr !== undefined ? { pr: record.pr } : {}),
    containedIn: [...containedIn],
    equivalents,
    branches: branchesContaining(index, record.sha),
  }
}
