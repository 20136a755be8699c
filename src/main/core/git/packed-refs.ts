import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Sha } from '../../../shared/models/workspace'

/** One line of `packed-refs`: a ref, the SHA it stores and, for an annotated tag, what it peels to. */
export interface PackedRef {
  ref: string
  sha: Sha
  peeled?: Sha
}

/** A parsed `packed-refs` file. */
export interface PackedRefs {
  refs: Map<string, PackedRef>
  /** The file vouches that every ref without a `^` line is not a tag object (git's `fully-peeled` trait). */
  fullyPeeled: boolean
}

const SHA = /^[0-9a-f]{40}$/

/** Parses the text of a `packed-refs` file; lines that are not `<sha> <ref>` or `^<sha>` are ignored. */
export function parsePackedRefs(text: string): PackedRefs {
  const refs = new Map<string, PackedRef>()
  const fullyPeeled = /^# pack-refs with:.*\bfully-peeled\b/.test(text)
  let last: PackedRef | undefined
  let at = 0
  while (at < text.length) {
    let end = text.indexOf('\n', at)
    if (end < 0) end = text.length
    const line = text.slice(at, end)
    at = end + 1
    if (line.charCodeAt(0) === 0x5e /* ^ */) {
      const peeled = line.slice(1, 41)
      if (last && SHA.test(peeled)) last.peeled = peeled
      continue
    }
    if (line.length < 42 || line.charCodeAt(40) !== 0x20) continue
    const sha = line.slice(0, 40)
    if (!SHA.test(sha)) continue
    last = { ref: line.slice(41).trimEnd(), sha }
    refs.set(last.ref, last)
  }
  return { refs, fullyPeeled }
}

/**
 * The text of a `packed-refs` file holding `refs`, sorted by name in byte order as git requires of a
 * `sorted` file. `fullyPeeled` may be claimed only when every tag object among them carries `peeled`.
 */
export function formatPackedRefs(refs: Iterable<PackedRef>, fullyPeeled: boolean): string {
  const keyed = [...refs].map((r) => ({ r, key: Buffer.from(r.ref, 'utf8') }))
  keyed.sort((a, b) => Buffer.compare(a.key, b.key))
  const lines = [`# pack-refs with: peeled ${fullyPeeled ? 'fully-peeled ' : ''}sorted `]
  for (const { r } of keyed) {
    lines.push(`${r.sha} ${r.ref}`)
    if (r.peeled !== undefined) lines.push(`^${r.peeled}`)
  }
  return `${lines.join('\n')}\n`
}

/** Replaces a gitdir's `packed-refs` in one rename, so a reader sees the old file or the new one, never half. */
export async function writePackedRefs(gitdir: string, refs: Iterable<PackedRef>, fullyPeeled: boolean): Promise<void> {
  const path = join(gitdir, 'packed-refs')
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temp, formatPackedRefs(refs, fullyPeeled))
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
