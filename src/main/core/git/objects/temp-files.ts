import { randomBytes } from 'node:crypto'
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** A temp file whose writer may still be alive is swept only after this long without a write. */
const STALE_TEMP_MS = 60 * 60_000

/** A temp file name under `objects/pack` for a pack being written; the pid in it tells a sweep whether its writer lives. */
export function packTempPath(packDir: string): string {
  return join(packDir, `tmp_pack_${process.pid}_${randomBytes(6).toString('hex')}`)
}

/** Removes pack temp files (and their `.idx`) whose writing process is gone, or that nobody touched for an hour. */
export async function sweepPackTemps(packDir: string): Promise<void> {
  const now = Date.now()
  for (const name of await readdir(packDir).catch(() => [] as string[])) {
    const match = /^tmp_pack_(\d+)_/.exec(name)
    if (!match) continue
    const path = join(packDir, name)
    const pid = Number(match[1])
    const info = await stat(path).catch(() => undefined)
    if (!info) continue
    if ((pid !== process.pid && !processAlive(pid)) || now - info.mtimeMs > STALE_TEMP_MS)
      await rm(path, { force: true })
  }
}

/** Whether a process with this id exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
