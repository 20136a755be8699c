import type { Sha } from '../../../../shared/models/workspace'
import { ObjectStore } from '../objects/object-store'
import { downloadPack, type Download } from './download'
import type { Remote } from './remote'
import type { Transfer } from './transfer'

/** What a shallow first clone asks for: the default branch's tip, `depth` commits deep; none when it takes everything. */
export function firstWants(t: Transfer, remote: Remote): { wants: Sha[]; depth: number } | undefined {
  if (t.depth === undefined || t.depth <= 0 || !remote.ad.capabilities.has('shallow')) return undefined
  const tip = remote.defaultBranch === undefined ? undefined : remote.ad.refs.get(`refs/heads/${remote.defaultBranch}`)
  return tip === undefined ? undefined : { wants: [tip], depth: t.depth }
}

/** The refs a first pass that came whole lacks (other branches, tags off the default branch), as one thin pack. */
export async function fetchRest(gitdir: string, remote: Remote, signal: AbortSignal, report: Download['report']) {
  const store = new ObjectStore(gitdir)
  let wants: Sha[]
  let haves: Sha[]
  try {
    const refs = [...remote.refs.values()]
    wants = unique(refs.filter((r) => !store.has(r.sha)).map((r) => r.sha))
    haves = unique(refs.filter((r) => store.has(r.sha)).map((r) => r.sha))
  } finally {
    store.close()
  }
  if (wants.length === 0) return
  const { http, ad } = remote
  await downloadPack({ gitdir, http, capabilities: ad.capabilities, wants, haves, signal, report })
}

function unique(shas: Sha[]): Sha[] {
  return [...new Set(shas)]
}
