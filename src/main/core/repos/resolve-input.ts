import { AppError } from '../../../shared/errors'
import type { Sha } from '../../../shared/models/workspace'
import type { CommitIndex } from '../git/commit-index'

/** How an input named a commit: a SHA (full or short), a pull request, a branch, or another ref (a tag). */
export type ResolvedVia = 'sha' | 'pr' | 'branch' | 'ref'

/** A commit an input named, and how. */
export interface ResolvedInput {
  sha: Sha
  via: ResolvedVia
}

/**
 * The commit a person's input names in one clone, the same for every command: a full or short SHA; `#N` (or a bare
 * number too short to be a SHA) for a pull request, meaning the commit merged to the default branch even when a
 * cherry-picked copy elsewhere mentions the PR too; a branch (the local one, else the remote's as fetched),
 * `origin/<branch>`, a tag or a full ref name, as git tries them. Throws AppError 'ambiguous-sha',
 * 'sha-not-in-clone' or 'not-found', each saying what to do.
 */
export function resolveInput(index: CommitIndex, input: string, defaultBranch?: string): ResolvedInput {
  const text = input.trim()
  const pr = /^#?(\d+)$/.exec(text)
  if (pr?.[1] !== undefined && (text.startsWith('#') || text.length < 4)) {
    const sha = pullRequestCommit(index, Number(pr[1]), defaultBranch)
    if (sha === undefined)
      throw new AppError('not-found', `No commit mentions pull request #${pr[1]}; fetch if it was merged recently.`, {
        input: text,
      })
    return { sha, via: 'pr' }
  }
  const { sha, ref } = index.resolveNamed(text, branchAliases(index.refs))
  if (ref === undefined) return { sha, via: 'sha' }
  return { sha, via: ref.startsWith('refs/heads/') || ref.startsWith('refs/remotes/') ? 'branch' : 'ref' }
}

/** The commit of pull request `n`: the newest one on the default branch, else the newest that mentions it. */
export function pullRequestCommit(index: CommitIndex, n: number, defaultBranch?: string): Sha | undefined {
  const found = index.findByPr(n)
  const main = defaultTip(index, defaultBranch)
  return (main === undefined ? undefined : found.find((s) => index.isAncestor(s, main))) ?? found[0]
}

/** The tip of the default branch: the remote's as fetched, else the local one; origin/HEAD when none is named. */
export function defaultTip(index: CommitIndex, defaultBranch?: string): Sha | undefined {
  const { refs } = index
  if (defaultBranch !== undefined)
    return refs.get(`refs/remotes/origin/${defaultBranch}`) ?? refs.get(`refs/heads/${defaultBranch}`)
  return refs.get('refs/remotes/origin/HEAD')
}

/** Refs where a plain branch name also finds the remote's branch (`master` → `refs/remotes/origin/master`). */
export function branchAliases(refs: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(refs)
  for (const [ref, sha] of refs) {
    if (!ref.startsWith('refs/remotes/origin/')) continue
    const branch = ref.slice('refs/remotes/origin/'.length)
    if (branch !== 'HEAD' && !out.has(`refs/heads/${branch}`)) out.set(`refs/heads/${branch}`, sha)
  }
  return out
}
