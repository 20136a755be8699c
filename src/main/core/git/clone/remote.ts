import { parseAdvertisement, type Advertisement } from './advertisement'
import type { Sha } from '../../../../shared/models/workspace'
import { REMOTE_HEAD, type FetchedRefs } from './refs'
import { SmartHttp } from './smart-http'
import type { Transfer } from './transfer'

/** The remote's refs as the clone will hold them, with what the server said on the way. */
export interface Remote {
  http: SmartHttp
  ad: Advertisement
  refs: FetchedRefs
  defaultBranch: string | undefined
  warnings: string[]
}

/** Asks the server for its refs (`GET info/refs`) and maps them to the clone's names. */
export async function discover(t: Transfer): Promise<Remote> {
  const http = new SmartHttp({
    url: t.source.url,
    ...(t.source.credential !== undefined ? { credential: t.source.credential } : {}),
    secret: t.secret,
    signal: t.signal,
    idleTimeoutMs: t.idleTimeoutMs,
  })
  const ad = parseAdvertisement(await http.advertisement())
  const { refs, skipped } = cloneRefsOf(ad)
  const warnings = [...ad.skipped, ...skipped].map(
    (what) => `${t.source.service}: skipped the remote ref ${what}; git would refuse it too.`,
  )
  return { http, ad, refs, defaultBranch: defaultBranchOf(ad), warnings }
}

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
