import { join } from 'node:path'
import { readMarker, writeMarker } from '../core/git/clone/health'

/**
 * The demo's git server listens on a new port at every start, but serves the same repositories: the demo's clones
 * are told the new URL, so they are kept (with any local hotfix branch not pushed yet) instead of cloned again.
 */
export async function followMovedGitServer(clonesDir: string, services: readonly string[], url: string): Promise<void> {
  for (const service of services) {
    const gitdir = join(clonesDir, `${service}.git`)
    const marker = await readMarker(gitdir)
    const moved = `${url}/${service}.git`
    if (marker !== undefined && marker.url !== moved && new URL(marker.url).hostname === '127.0.0.1')
      await writeMarker(gitdir, { ...marker, url: moved })
  }
}
