import type { Sha } from '../../../../shared/models/workspace'
import type { Advertisement } from './advertisement'
import { REMOTE_HEAD, type FetchedRefs } from './refs'

/** The refs a clone takes from an advertisement: `refs/heads/x` → `refs/remotes/origin/x`, tags as they are. */
export function cloneRefsOf(ad: Advertisement): { refs: FetchedRefs; skipped: string[] } {
  const refs: FetchedRefs = new Map()
  const skipped: string[] = []
  for (const [name, sha] of ad.refs) {
    let local: string
    if (name.startsWith('refs/heads/')) local = `refs/remotes/origin/${name.slice('refs/heads/'.length)}`
    else if (name.startsWith('refs/tags/')) local = name
    else continue
    // A branch called HEAD would land on the symbolic ref naming the default branch.
    if (local === REMOTE_HEAD) {
      skipped.push(`${JSON.stringify(name)} (a branch named HEAD)`)
      continue
    }
    const peeled = ad.peeled.get(name)
    refs.set(local, peeled === undefined ? { ref: local, sha } : { ref: local, sha, peeled })
  }
  return { refs, skipped }
}

/**
 * The remote's default branch: what its HEAD names (`symref=HEAD:…`), else the branch HEAD's SHA matches
 * (main or master first, as git guesses for servers that do not say), else undefined (an empty repository).
 */
export function defaultBranchOf(ad: Advertisement): string | undefined {
  const target = ad.symrefs.get('HEAD')
  if (target?.startsWith('refs/heads/') && ad.refs.has(target)) return target.slice('refs/heads/'.length)
  const head: Sha | undefined = ad.refs.get('HEAD')
  if (head === undefined) return target?.startsWith('refs/heads/') ? target.slice('refs/heads/'.length) : undefined
  const candidates = [
    'refs/heads/main',
    'refs/heads/master',
    ...[...ad.refs.keys()].filter((r) => r.startsWith('refs/heads/')),
  ]
  const match = candidates.find((ref) => ad.refs.get(ref) === head)
  return match?.slice('refs/heads/'.length)
}
