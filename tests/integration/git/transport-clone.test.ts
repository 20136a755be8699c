import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import { ObjectStore } from '../../../src/main/core/git/objects/object-store'
import type { RepoProgress } from '../../../src/shared/api/views'
import { assertGitAccepts, gitGraph, indexGraph, strayPackFiles } from '../../support/clone-oracle'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir } from '../../support/git-repo'
import { withoutCapability } from '../../support/pkt-lines'

// A clone made by our own upload-pack client and pack indexer must be an ordinary repository: the git CLI
// accepts it, isomorphic-git and our pack reader read every object, and the commit index matches rev-list.

const CHAIN = 260

let work: string
let server: GitHttpServer
let served: string

/** Every object of a repository (per git) with its type. */
function allObjects(gitdir: string): { sha: string; type: string }[] {
  const out = runGit(gitdir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)'])
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [sha = '', type = ''] = line.split(' ')
      return { sha, type }
    })
}

/** Entry types at each offset of a pack, read with `git show-index` and the first byte of each entry. */
function entryTypes(packDir: string): number[] {
  const idx = fs.readdirSync(packDir).find((n) => n.endsWith('.idx')) as string
  const pack = fs.readFileSync(join(packDir, idx.replace(/\.idx$/, '.pack')))
  const listing = runGit(packDir, ['show-index'], { input: fs.readFileSync(join(packDir, idx)) })
  return listing
    .trim()
    .split('\n')
    .map((line) => ((pack[Number(line.split(' ')[0])] as number) >> 4) & 7)
}

function maxChain(gitdir: string): number {
  const packDir = join(gitdir, 'objects', 'pack')
  let max = 0
  for (const name of fs.readdirSync(packDir).filter((n) => n.endsWith('.idx'))) {
    const out = runGit(packDir, ['verify-pack', '-v', name])
    for (const m of out.matchAll(/^chain length = (\d+):/gm)) max = Math.max(max, Number(m[1]))
  }
  return max
}

beforeAll(async () => {
  work = tmpDir()
  const source = createRepo({ dir: join(work, 'source') })
  // One file rewritten a little at each commit: with a deep repack, delta chains hundreds long.
  const commits = Array.from({ length: CHAIN }, (_, i) => ({
    ref: 'refs/heads/master',
    parents: i === 0 ? [] : [i - 1],
    message: `Change ${i}`,
    time: 1_704_067_200 + i * 60,
    files: {
      'log.txt': Array.from({ length: 200 + i }, (_, k) => `line ${k} ${k === i ? 'changed' : 'same'}\n`).join(''),
      [`notes/n${i % 17}.txt`]: `note ${i}\n`,
    },
  }))
  source.fastImport(commits, [
    { ref: 'refs/tags/v1', commit: 100, tagMessage: 'Release 1' },
    { ref: 'refs/tags/light', commit: 150 },
    { ref: 'refs/heads/release', commit: 200 },
  ])
  source.checkout('master')
  served = join(work, 'served', 'app.git')
  runGit(work, ['clone', '-q', '--bare', source.path, served])
  runGit(served, ['repack', '-adf', '--depth=4095', '--window=300'])
  server = await startGitHttpServer({ root: join(work, 'served') })
})

afterAll(async () => {
  await server.close()
  removeDir(work)
})

function clones(progress?: RepoProgress[]): { clones: Clones; root: string } {
  const root = tmpDir('trainyard-clones-')
  const made = new Clones({
    root,
    secret: () => Promise.resolve(undefined),
    ...(progress ? { onProgress: (p: RepoProgress) => progress.push(p) } : {}),
  })
  return { clones: made, root }
}

describe('a clone by the streaming transport', () => {
  it('is an ordinary bare repository: fsck, verify-pack, every object readable, the index equals rev-list', async () => {
    const progress: RepoProgress[] = []
    const { clones: c, root } = clones(progress)
    await c.open({ service: 'app', url: server.repoUrl('app') })
    const gitdir = c.gitdir('app')
    assertGitAccepts(gitdir)
    expect(strayPackFiles(gitdir)).toEqual([])
    expect(maxChain(gitdir)).toBeGreaterThanOrEqual(CHAIN / 2)
    expect(gitGraph(gitdir)).toEqual(gitGraph(served))
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(gitdir))
    // Refs are packed, as git writes them; a second reader (git) agrees on every one.
    expect(fs.existsSync(join(gitdir, 'packed-refs'))).toBe(true)
    expect(runGit(gitdir, ['rev-parse', 'refs/remotes/origin/release', 'refs/tags/v1^{}']).trim().split('\n')).toEqual(
      runGit(served, ['rev-parse', 'refs/heads/release', 'refs/tags/v1^{}']).trim().split('\n'),
    )

    const objects = allObjects(gitdir)
    const store = new ObjectStore(gitdir)
    try {
      for (const { sha, type } of objects) {
        const object = store.read(sha)
        expect(object?.type).toBe(type)
        const hashed = createHash('sha1')
          .update(`${type} ${object?.data.length ?? 0}\0`)
          .update(object?.data ?? Buffer.alloc(0))
          .digest('hex')
        expect(hashed).toBe(sha)
      }
    } finally {
      store.close()
    }
    const log = await git.log({ fs, gitdir, ref: 'refs/remotes/origin/master', cache: c.cache('app') })
    expect(log.length).toBe(CHAIN)

    const phases = new Set(progress.map((p) => p.phase))
    expect(phases).toContain('Receiving objects')
    expect(phases).toContain('Resolving deltas')
    const received = progress.filter((p) => p.phase === 'Receiving objects').at(-1)
    expect(received?.loaded).toBe(received?.total)
    expect(received?.total).toBe(objects.length)
    removeDir(root)
  })

  it('takes REF_DELTA packs (bases named by SHA) when the server is not asked for offsets', async () => {
    server.setRewrites({ uploadRequest: (body) => withoutCapability(body, 'ofs-delta') })
    const { clones: c, root } = clones()
    try {
      await c.open({ service: 'app', url: server.repoUrl('app') })
    } finally {
      server.setRewrites(undefined)
    }
    expect(server.requests.at(-1)?.upload?.capabilities).not.toContain('ofs-delta')
    const gitdir = c.gitdir('app')
    const types = entryTypes(join(gitdir, 'objects', 'pack'))
    expect(types.filter((t) => t === 7).length).toBeGreaterThan(CHAIN / 2)
    expect(types).not.toContain(6)
    assertGitAccepts(gitdir)
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(served))
    removeDir(root)
  })

  it('streams a 50 MB blob through the indexer and reads it back whole', async () => {
    const big = createRepo({ dir: join(work, 'big-source') })
    // Incompressible, so the pack carries all 50 MB and the entry spans hundreds of network chunks.
    const blob = randomBytes(50 * 1024 * 1024)
    fs.writeFileSync(join(big.path, 'huge.bin'), blob)
    big.commit('A huge blob', { 'README.md': 'big\n' })
    runGit(work, ['clone', '-q', '--bare', big.path, join(work, 'served', 'big.git')])
    const { clones: c, root } = clones()
    await c.open({ service: 'big', url: server.repoUrl('big') })
    const gitdir = c.gitdir('big')
    assertGitAccepts(gitdir)
    const sha = runGit(gitdir, ['rev-parse', 'refs/remotes/origin/master:huge.bin']).trim()
    const store = new ObjectStore(gitdir)
    try {
      expect(store.read(sha)?.data.equals(blob)).toBe(true)
    } finally {
      store.close()
    }
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(gitdir))
    removeDir(root)
  }, 240_000)

  it('clones an empty repository, and its first commits arrive with the next fetch', async () => {
    const empty = join(work, 'served', 'empty.git')
    runGit(work, ['init', '-q', '--bare', empty])
    const { clones: c, root } = clones()
    const source = { service: 'empty', url: server.repoUrl('empty') }
    const outcome = await c.open(source)
    expect(outcome).toMatchObject({ cloned: true, moved: [] })
    expect((await c.refs('empty')).refs.size).toBe(0)
    expect((await c.status('empty')).state).toBe('ready')
    const first = createRepo({ dir: join(work, 'first-source') })
    const sha = first.commit('First', { 'a.txt': 'a\n' })
    first.git('push', '-q', empty, 'master')
    const fetched = await c.fetch(source)
    expect(fetched.moved).toEqual([{ ref: 'refs/remotes/origin/master', to: sha }])
    assertGitAccepts(c.gitdir('empty'))
    expect(await indexGraph(c.gitdir('empty'), join(root, 'index.bin'))).toEqual(gitGraph(empty))
    removeDir(root)
  })
})
