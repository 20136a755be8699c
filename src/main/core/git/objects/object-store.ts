import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { GitObject } from './git-object'
import { readLooseObject } from './loose-object'
import { writeHexOid } from './oid-hex'
import { PackFile } from './pack-file'

/** Reads objects from a repository's packs (and its alternates') first, then from loose files. */
export class ObjectStore {
  private readonly packs: PackFile[] = []
  private readonly objectDirs: string[]
  private readonly scratch = Buffer.alloc(20)

  /** Opens every pack under `<gitdir>/objects/pack` and of each alternate object directory. */
  constructor(gitdir: string) {
    this.objectDirs = objectDirectories(join(gitdir, 'objects'))
    // Packs merged after a fetch replace others: a pack listed but gone by the time it is opened means the
    // listing is stale, and a fresh one finds the merged pack (git's reprepare_packed_git does the same).
    for (let attempt = 0; ; attempt++) {
      try {
        this.openPacks()
        return
      } catch (error) {
        this.close()
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error
      }
    }
  }

  private openPacks(): void {
    for (const dir of this.objectDirs) {
      const packDir = join(dir, 'pack')
      if (!existsSync(packDir)) continue
      for (const name of readdirSync(packDir).sort()) {
        if (!name.endsWith('.pack') || !existsSync(join(packDir, name.replace(/\.pack$/, '.idx')))) continue
        this.packs.push(new PackFile(join(packDir, name), (oid) => this.readOid(oid)))
      }
    }
  }

  /** The object with this full hex SHA, or undefined when the repository lacks it. */
  read(sha: string): GitObject | undefined {
    // Pack lookups only compare the name, never keep it, so one scratch buffer serves every call.
    const oid = writeHexOid(sha, this.scratch, 0) ? this.scratch : Buffer.from(sha, 'hex')
    return this.readOid(oid, sha)
  }

  /** Whether the repository has the object with this full hex SHA (an index lookup; nothing is inflated). */
  has(sha: string): boolean {
    const oid = writeHexOid(sha, this.scratch, 0) ? this.scratch : Buffer.from(sha, 'hex')
    if (this.packs.some((pack) => pack.has(oid))) return true
    return this.objectDirs.some((dir) => existsSync(join(dir, sha.slice(0, 2), sha.slice(2))))
  }

  /** Closes every pack file. */
  close(): void {
    this.closer()()
  }

  /** A function that closes this store's pack files without holding the store itself (for a FinalizationRegistry). */
  closer(): () => void {
    const packs = this.packs
    return () => {
      for (const pack of packs) pack.close()
      packs.length = 0
    }
  }

  private readOid(oid: Buffer, sha = oid.toString('hex')): GitObject | undefined {
    for (const pack of this.packs) {
      const object = pack.read(oid)
      if (object) return object
    }
    for (const dir of this.objectDirs) {
      const object = readLooseObject(dir, sha)
      if (object) return object
    }
    return undefined
  }
}

// `objects/info/alternates` lists further object directories (e.g. `git clone --shared`), one a line.
function objectDirectories(objects: string, depth = 0): string[] {
  const dirs = [objects]
  if (depth > 4) return dirs
  let text: string
  try {
    text = readFileSync(join(objects, 'info', 'alternates'), 'utf8')
  } catch {
    return dirs
  }
  for (const line of text.split('\n')) {
    const alt = line.trim()
    if (!alt || alt.startsWith('#')) continue
    dirs.push(...objectDirectories(isAbsolute(alt) ? alt : join(objects, alt), depth + 1))
  }
  return dirs
}
