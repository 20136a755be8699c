import type { CommitIndex } from '../git/commit-index'

const REMOTE = ['refs/remotes/origin/', 'refs/tags/']
const LOCAL = 'refs/heads/'

/**
 * When no remote branch or tag of a clone contains `sha` (a commit made here, e.g. a cherry-pick on a hotfix
 * branch not pushed yet), the local branches that do; undefined when the remote has it.
 */
export function unpushedBranches(index: CommitIndex, sha: string): string[] | undefined {
  const contains = (tip: string): boolean => index.has(tip) && index.isAncestor(sha, tip)
  const refs = [...index.refs]
  if (refs.some(([name, tip]) => REMOTE.some((p) => name.startsWith(p)) && contains(tip))) return undefined
  return refs.filter(([name, tip]) => name.startsWith(LOCAL) && contains(tip)).map(([name]) => name.slice(LOCAL.length))
}
