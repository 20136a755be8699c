import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { openCommitIndex } from '../../src/main/core/git/commit-index-open'
import { runGit } from './git-repo'

/*
 * The git CLI's verdict on a clone Trainyard wrote: what `git fsck --full` and `git verify-pack` say, and the
 * commit graph as `git rev-list --all --parents` sees it next to the one our commit index holds.
 */

/** Runs `git fsck --full` and `git verify-pack` on every pack; throws with git's output when either complains. */
export function assertGitAccepts(gitdir: string): void {
  runGit(gitdir, ['fsck', '--full', '--no-dangling', '--strict'])
  const packDir = join(gitdir, 'objects', 'pack')
  for (const name of readdirSync(packDir)) if (name.endsWith('.idx')) runGit(packDir, ['verify-pack', name])
}

/** Files under `objects/pack` that are not a pack or one of git's files beside it (temp files a transfer left behind). */
export function strayPackFiles(gitdir: string): string[] {
  return readdirSync(join(gitdir, 'objects', 'pack')).filter(
    (n) => !/^pack-[0-9a-f]{40}\.(pack|idx|rev|bitmap|keep)$/.test(n),
  )
}

/** `git rev-list --all --parents`, one sorted line per commit: `sha parent…`. */
export function gitGraph(gitdir: string): string[] {
  return runGit(gitdir, ['rev-list', '--all', '--parents']).trim().split('\n').filter(Boolean).sort()
}

/** The same lines from Trainyard's commit index of the clone (cached in `cacheFile`). */
export async function indexGraph(gitdir: string, cacheFile: string): Promise<string[]> {
  const index = await openCommitIndex({ gitdir, cacheFile })
  const lines: string[] = []
  for (let pos = 0; pos < index.size; pos++) {
    const r = index.recordAt(pos)
    lines.push([r.sha, ...r.parents].join(' '))
  }
  return lines.sort()
}
