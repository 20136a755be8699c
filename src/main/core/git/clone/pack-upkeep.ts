import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { mergePacks } from '../objects/pack-merge'

/** A clone with more packs than this has them merged after a fetch (git's `gc --auto` waits for 50). */
export const PACK_LIMIT = 10

/**
 * Keeps a clone's packs from piling up, one per fetch: past `PACK_LIMIT`, the packs are merged into one,
 * leaving out the largest when it outweighs all the others together, so a big first clone is rewritten only
 * once the fetches since have grown as large (git's geometric repack, simplified). Packs with a `.keep` stay.
 * Returns whether packs were merged.
 */
export async function consolidatePacks(gitdir: string, limit = PACK_LIMIT): Promise<boolean> {
  const packDir = join(gitdir, 'objects', 'pack')
  const files = new Set(await readdir(packDir).catch(() => [] as string[]))
  const packs: { name: string; size: number; mtime: number }[] = []
  for (const file of files) {
    const name = file.replace(/\.pack$/, '')
    if (name === file || !files.has(`${name}.idx`) || files.has(`${name}.keep`)) continue
    const info = await stat(join(packDir, file))
    packs.push({ name, size: info.size, mtime: info.mtimeMs })
  }
  if (packs.length <= limit) return false
  packs.sort((a, b) => b.size - a.size)
  const [largest, ...rest] = packs
  const others = rest.reduce((sum, p) => sum + p.size, 0)
  const chosen = largest && largest.size > others && rest.length >= 2 ? rest : packs
  // Oldest first, so an object fetched twice keeps its first copy.
  chosen.sort((a, b) => a.mtime - b.mtime)
  const merged = await mergePacks(
    packDir,
    chosen.map((p) => p.name),
  )
  for (const { name } of chosen) {
    if (name === merged) continue
    // The index first: a reader lists packs by their index, so it never opens a pack being removed.
    await rm(join(packDir, `${name}.idx`), { force: true }).catch(() => undefined)
    for (const ext of ['.pack', '.rev', '.bitmap'])
      await rm(join(packDir, `${name}${ext}`), { force: true }).catch(() => undefined)
  }
  return true
}
