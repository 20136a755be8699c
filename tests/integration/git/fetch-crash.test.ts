import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Clones, type RepoSource } from '../../../src/main/core/git/clone/clones'
import { JOURNAL_FILE } from '../../../src/main/core/git/clone/journal'
import { readCloneRefs } from '../../../src/main/core/git/clone/refs'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import { assertGitAccepts, gitGraph, indexGraph, strayPackFiles } from '../../support/clone-oracle'
import type { GitHttpServer } from '../../support/git-http-server'
import { serveRepo, type ServedRepo } from '../../support/served-repo'
import { noise, removeDir, runGit, tmpDir, type TestRepo } from '../../support/git-repo'

// A fetch whose process is killed (SIGKILL, a real child process) never leaves a clone that answers wrongly:
// no ref names a commit that never arrived, and refs it was rewriting are put back when the clone is next read.

const CHILD = join(import.meta.dirname, '..', '..', 'support', 'fetch-child.ts')

interface Child {
  ready: Promise<void>
  exited: Promise<NodeJS.Signals | null>
  kill(): void
}

function child(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('close', (_code, signal) => resolve(signal)))
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve()
    })
    void exited.then(() => reject(new Error(`child ended before it was ready: ${stderr}`)))
  })
  return { ready, exited, kill: () => proc.kill('SIGKILL') }
}

let repo: ServedRepo
let source: TestRepo
let served: string
let server: GitHttpServer
let root: string
let clones: Clones
const app = (): RepoSource => ({ service: 'app', url: server.repoUrl('app') })

beforeAll(async () => {
  repo = await serveRepo((s) => {
    s.commit('One', { 'a.txt': '1\n' })
    s.commit('Two', { 'a.txt': '2\n' })
  })
  ;({ source, served, server } = repo)
})

afterAll(() => repo.close())

beforeEach(async () => {
  root = tmpDir('trainyard-clones-')
  clones = new Clones({ root, secret: () => Promise.resolve(undefined) })
  await clones.open(app())
  return () => removeDir(root)
})

describe('a fetch killed with SIGKILL', () => {
  it('mid-transfer: the clone answers as before, and the next fetch sweeps what the dead one left', async () => {
    const gitdir = clones.gitdir('app')
    const before = (await readCloneRefs(gitdir)).refs
    source.commit('Big change', { 'big.txt': noise('big', 400_000) })
    source.git('push', '-q', '--mirror', served)
    server.setFault({ kind: 'stall-upload-pack', afterBytes: 50_000 })
    const stalled = server.stalled()
    const fetching = child(['fetch', root, 'app', server.repoUrl('app')])
    await fetching.ready
    await stalled
    fetching.kill()
    expect(await fetching.exited).toBe('SIGKILL')

    // The index open path reads the clone as the dead process left it.
    const index = await openCommitIndex({ gitdir, cacheFile: join(root, 'index.bin') })
    expect(index.refs.get('refs/remotes/origin/master')).toBe(before.get('refs/remotes/origin/master'))
    expect((await readCloneRefs(gitdir)).refs).toEqual(before)
    assertGitAccepts(gitdir)
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(gitdir))

    // The dead process's spooled half pack is still there; git ignores it, and the next fetch sweeps it.
    expect(strayPackFiles(gitdir)).toEqual([expect.stringMatching(/^tmp_pack_\d+_/)])
    server.setFault(undefined)
    await clones.fetch(app())
    expect(strayPackFiles(gitdir)).toEqual([])
    assertGitAccepts(gitdir)
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(served))
  })

  it('while rewriting refs: the journal is replayed when the index next opens the clone', async () => {
    const gitdir = clones.gitdir('app')
    const before = (await readCloneRefs(gitdir)).refs
    const older = runGit(gitdir, ['rev-parse', 'refs/remotes/origin/master~1']).trim()
    const dying = child(['die-rewriting-refs', gitdir, 'refs/remotes/origin/master', older])
    expect(await dying.exited).toBe('SIGKILL')
    expect(existsSync(join(gitdir, JOURNAL_FILE))).toBe(true)
    expect((await readCloneRefs(gitdir)).refs.get('refs/remotes/origin/master')).toBe(older)

    const index = await openCommitIndex({ gitdir, cacheFile: join(root, 'index.bin') })
    expect(index.refs.get('refs/remotes/origin/master')).toBe(before.get('refs/remotes/origin/master'))
    expect((await readCloneRefs(gitdir)).refs).toEqual(before)
    expect(readdirSync(gitdir)).not.toContain(JOURNAL_FILE)
    assertGitAccepts(gitdir)
  })
})
