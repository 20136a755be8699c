import { randomBytes } from 'node:crypto'
import { readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** A hidden temp dir next to a service's clone, for a clone in progress. */
export function cloneTempDir(root: string, service: string): string {
  return join(root, `.${service}.git.tmp-${randomBytes(4).toString('hex')}`)
}

/** Removes temp and trash dirs a crashed clone of `service` left behind. */
export async function removeLeftovers(root: string, service: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (name.startsWith(`.${service}.git.tmp-`) || name.startsWith(`.${service}.git.old-`)) {
      await rm(join(root, name), { recursive: true, force: true })
    }
  }
}

/** Moves a complete clone into place; an old clone is renamed aside first and then removed. */
export async function swapInto(temp: string, target: string, root: string, service: string): Promise<void> {
  const old = join(root, `.${service}.git.old-${randomBytes(4).toString('hex')}`)
  const hadOld = await rename(target, old).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false
      throw error
    },
  )
  await rename(temp, target)
  if (hadOld) await rm(old, { recursive: true, force: true })
}
