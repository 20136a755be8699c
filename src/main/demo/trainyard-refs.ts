import * as fs from 'node:fs'
import git from 'isomorphic-git'

/** Trainyard's own refs of a served repository (`refs/trainyard/coordination`), as `[sha, name]` pairs to advertise. */
export async function trainyardRefs(gitdir: string): Promise<[string, string][]> {
  const names = await git.listRefs({ fs, gitdir, filepath: 'refs/trainyard' }).catch(() => [])
  return Promise.all(
    names.map(async (name): Promise<[string, string]> => [
      await git.resolveRef({ fs, gitdir, ref: `refs/trainyard/${name}` }),
      `refs/trainyard/${name}`,
    ]),
  )
}
