import { statSync } from 'node:fs'
import { join } from 'node:path'
import { ObjectStore } from './object-store'

interface Shared {
  store: ObjectStore
  gitdir: string
  stamp: string
}

const shared = new WeakMap<object, Shared>()
// A reader replaced after a fetch may still be in use by a computation that started before it; its files are
// closed once nothing holds it any more, never under a running read.
const closeWhenUnused = new FinalizationRegistry<() => void>((close) => close())

/**
 * The pack reader of the repository at `gitdir`, shared by every caller passing the same long-lived `owner` (a
 * clone's isomorphic-git cache object). It is opened again when the set of packs changes (a fetch, a repack, a new
 * clone renamed into place); loose objects are always read from disk.
 */
export function sharedObjectStore(gitdir: string, owner: object): ObjectStore {
  const stamp = packStamp(gitdir)
  const known = shared.get(owner)
  if (known && known.gitdir === gitdir && known.stamp === stamp) return known.store
  const store = new ObjectStore(gitdir)
  closeWhenUnused.register(store, store.closer())
  shared.set(owner, { store, gitdir, stamp })
  return store
}

// Adding or deleting a pack changes its directory's mtime; a clone renamed into place has a new inode.
function packStamp(gitdir: string): string {
  try {
    const st = statSync(join(gitdir, 'objects', 'pack'), { bigint: true })
    return `${st.ino}:${st.mtimeNs}`
  } catch {
    return 'none'
  }
}
