import { AppError } from '../../../shared/errors'
import type { ProbeResult } from '../../../shared/models/environments'
import type { CommitDetails } from '../../../shared/models/graph'
import type { CommitIndex } from './commit-index'
import { refLabel } from './graph-layout-view'

const copiesByIndex = new WeakMap<CommitIndex, Map<string, string[]>>()

/** Commits that name `sha` in a "(cherry picked from commit …)" trailer. */
export function copiesOf(index: CommitIndex, sha: string): string[] {
  let copies = copiesByIndex.get(index)
  if (!copies) {
    copies = new Map()
    for (const [pos, original] of index.columns.pickedFrom)
      copies.set(original, [...(copies.get(original) ?? []), index.shaAt(pos)])
    copiesByIndex.set(index, copies)
  }
  return copies.get(sha) ?? []
}

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
 * whose deployed SHA contains the commit.
 */
export function commitDetails(
  service: string,
  index: CommitIndex,
  sha: string,
  message: string,
  probes: readonly ProbeResult[],
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
  const equivalents: CommitDetails['equivalents'] = []
  const seen = new Set<string>([record.sha])
  const add = (other: string): void => {
    if (seen.has(other) || !index.has(other)) return
    seen.add(other)
    equivalents.push({ sha: other, via: 'trailer', branches: branchesContaining(index, other) })
  }
  if (record.pickedFrom !== undefined) {
    add(record.pickedFrom)
    // Siblings: other copies of the same original are the same change too.
    for (const sibling of copiesOf(index, record.pickedFrom)) add(sibling)
  }
  for (const copy of copiesOf(index, record.sha)) add(copy)
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
