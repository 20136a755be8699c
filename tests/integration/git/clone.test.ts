import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import type { RepoSource } from '../../../src/main/core/git/clone/clones'
import { readCloneRefs } from '../../../src/main/core/git/clone/refs'
import type { RepoProgress } from '../../../src/shared/api/views'
import { rejection } from '../../support/rejection'
import { startGitHttpServer } from '../../support/git-http-server'
import type { GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir, noise } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

/** The remote's branches and tags as a clone should hold them (`refs/heads/x` → `refs/remotes/origin/x`). */
function expectedCloneRefs(bare: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of runGit(bare, ['ls-remote', '.']).trim().split('\n')) {
    const [sha, ref] = line.split('\t') as [string, string]
    if (ref.endsWith('^{}')) continue
    if (ref.startsWith('refs/heads/')) out[`refs/remotes/origin/${ref.slice(11)}`] = sha
    else if (ref.startsWith('refs/tags/')) out[ref] = sha
  }
  return out
}

async function actualCloneRefs(gitdir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [ref, sha] of (await readCloneRefs(gitdir)).refs) {
    if (ref.startsWith('refs/remotes/origin/') || ref.startsWith('refs/tags/')) out[ref] = sha
  }
  return out
}

function revList(gitdir: string): string[] {
  return runGit(gitdir, ['rev-list', '--all']).trim().split('\n').sort()
}

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('clones over HTTP', () => {
  let work: string
  let source: TestRepo
  let bare: string
  let server: GitHttpServer
  const clock = (): Date => new Date('2026-11-20T09:00:00Z')

  beforeAll(async () => {
    work = tmpDir()
    source = createRepo({ dir: join(work, 'source') })
    const base = source.commit('Initial commit', { 'README.md': 'app\n', 'big.txt': noise('a', 300_000) })
    source.tag('v1.0.0', { message: 'Release 1.0.0' })
    source.branch('feature/login')
    source.checkout('feature/login')
    source.commit('Add login', { 'login.ts': 'export const login = 1\n' })
    source.commit('Login tests', { 'login.test.ts': 'test\n' })
    source.checkout('master')
    source.commit('Fix typo', { 'README.md': 'app!\n' })
    source.merge('feature/login', 'Merge pull request #12 from feature/login')
    source.tag('light')
    source.branch('uk-release', base)
    source.checkout('uk-release')
    source.commit('Hotfix', { 'README.md': 'app (hotfix)\n', 'big2.txt': noise('b', 200_000) })
    source.tag('v1.0.1', { message: 'Hotfix release' })
    source.checkout('master')
    mkdirServed(work)
    bare = join(work, 'served', 'app.git')
    runGit(work, ['clone', '-q', '--bare', source.path, bare])
    server = await startGitHttpServer({ root: join(work, 'served') })
  })

  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  function newClones(progress?: RepoProgress[]): { clones: Clones; root: string } {
    const root = tmpDir('trainyard-clones-')
    const clones = new Clones({
      root,
      secret: () => Promise.resolve(undefined),
      clock,
      ...(progress ? { onProgress: (p) => progress.push(p) } : {}),
    })
    return { clones, root }
  }

  const app = (): RepoSource => ({ service: 'app', url: server.repoUrl('app') })

  it('clones every branch and tag, with the same commits as the source', async () => {
    const progress: RepoProgress[] = []
    const { clones, root } = newClones(progress)
    expect((await clones.status('app')).state).toBe('missing')
    const outcome = await clones.open(app())
    expect(outcome.cloned).toBe(true)
    const gitdir = clones.gitdir('app')
    expect(gitdir).toBe(join(root, 'app.git'))
    const expected = expectedCloneRefs(bare)
    expect(await actualCloneRefs(gitdir)).toEqual(expected)
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining([
        'refs/remotes/origin/master',
        'refs/remotes/origin/feature/login',
        'refs/tags/v1.0.0',
        'refs/tags/light',
      ]),
    )
    expect(outcome.moved).toEqual(
      Object.entries(expected)
        .map(([ref, to]) => ({ ref, to }))
        .sort((a, b) => (a.ref < b.ref ? -1 : 1)),
    )
    expect(revList(gitdir)).toEqual(revList(bare))
    runGit(gitdir, ['fsck', '--no-dangling'])
    expect(runGit(gitdir, ['rev-parse', 'refs/remotes/origin/HEAD']).trim()).toBe(
      runGit(bare, ['rev-parse', 'master']).trim(),
    )
    expect(await clones.status('app')).toEqual({
      service: 'app',
      state: 'ready',
      fetchedAt: '2026-11-20T09:00:00.000Z',
    })
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every((p) => p.service === 'app' && p.operation === 'clone')).toBe(true)
    expect(readdirSync(root)).toEqual(['app.git'])
    // A healthy clone is opened without touching the network.
    const before = server.requests.length
    expect((await clones.open(app())).cloned).toBe(false)
    expect(server.requests.length).toBe(before)
    removeDir(root)
  })

  it('an interrupted clone leaves nothing that answers, and the next open clones again', async () => {
    const { clones, root } = newClones()
    server.setFault({ kind: 'cut-upload-pack', afterBytes: 100_000 })
    const error = await rejection(clones.open(app()))
    expect(['endpoint-unreachable', 'clone-failed', 'clone-incomplete']).toContain(error.code)
    expect(server.requests.some((r) => r.faulted)).toBe(true)
    expect(existsSync(clones.gitdir('app'))).toBe(false)
    expect(readdirSync(root)).toEqual([])
    const status = await clones.status('app')
    expect(status.state).toBe('failed')
    expect(status.error?.code).toBe(error.code)

    const outcome = await clones.open(app())
    expect(outcome.cloned).toBe(true)
    expect(await actualCloneRefs(clones.gitdir('app'))).toEqual(expectedCloneRefs(bare))
    expect((await clones.status('app')).state).toBe('ready')
    removeDir(root)
  })

  it('a clone dir without its completion marker (a crash mid-clone) is cloned again', async () => {
    const { clones, root } = newClones()
    await clones.open(app())
    const gitdir = clones.gitdir('app')
    rmSync(join(gitdir, 'trainyard-clone.json'))
    // Leftovers of a crashed clone next to it are swept too.
    runGit(root, ['init', '-q', '--bare', join(root, '.app.git.tmp-deadbeef')])
    expect((await clones.status('app')).state).toBe('missing')
    expect((await clones.open(app())).cloned).toBe(true)
    expect(await actualCloneRefs(gitdir)).toEqual(expectedCloneRefs(bare))
    expect(readdirSync(root)).toEqual(['app.git'])
    removeDir(root)
  })

  it('a clone made from another URL is replaced when the workspace points the service elsewhere', async () => {
    const { clones, root } = newClones()
    await clones.open(app())
    const other = createRepo({ dir: join(work, 'other-source') })
    other.commit('Unrelated history', { 'x.txt': 'x\n' })
    const otherBare = join(work, 'served', 'other.git')
    runGit(work, ['clone', '-q', '--bare', other.path, otherBare])
    const outcome = await clones.open({ service: 'app', url: server.repoUrl('other') })
    expect(outcome.cloned).toBe(true)
    expect(await actualCloneRefs(clones.gitdir('app'))).toEqual(expectedCloneRefs(otherBare))
    expect(readdirSync(root)).toEqual(['app.git'])
    removeDir(root)
  })

  it('a clone whose refs point at missing objects fails the health check and is cloned again', async () => {
    const { clones, root } = newClones()
    await clones.open(app())
    const gitdir = clones.gitdir('app')
    writeFileSync(join(gitdir, 'refs/remotes/origin/master'), `${'1'.repeat(40)}\n`)
    expect((await clones.open(app())).cloned).toBe(true)
    expect(await actualCloneRefs(gitdir)).toEqual(expectedCloneRefs(bare))
    removeDir(root)
  })

  it('cancel mid-clone stops the download: cancelled, and no half repo', async () => {
    const { clones, root } = newClones()
    server.setFault({ kind: 'stall-upload-pack', afterBytes: 20_000 })
    const stalled = server.stalled()
    const controller = new AbortController()
    const opening = clones.open(app(), { signal: controller.signal })
    await stalled
    expect((await clones.status('app')).state).toBe('cloning')
    controller.abort()
    const error = await rejection(opening)
    expect(error.code).toBe('cancelled')
    expect(existsSync(clones.gitdir('app'))).toBe(false)
    expect(readdirSync(root)).toEqual([])

    server.setFault({ kind: 'stall-upload-pack', afterBytes: 20_000 })
    const stalledAgain = server.stalled()
    const second = clones.open(app())
    await stalledAgain
    expect(clones.cancel('app')).toBe(true)
    expect((await rejection(second)).code).toBe('cancelled')
    expect(readdirSync(root)).toEqual([])
    removeDir(root)
  })

  it('a missing repository is not-found and names the URL', async () => {
    const { clones, root } = newClones()
    const url = server.repoUrl('nope')
    const error = await rejection(clones.open({ service: 'nope', url }))
    expect(error.code).toBe('not-found')
    expect(error.message).toContain(url)
    expect(readdirSync(root)).toEqual([])
    removeDir(root)
  })

  it('a server that goes quiet fails with timeout instead of hanging', async () => {
    const slow = await startGitHttpServer({ root: join(work, 'served'), latencyMs: 400 })
    const root = tmpDir('trainyard-clones-')
    const clones = new Clones({ root, secret: () => Promise.resolve(undefined), idleTimeoutMs: 50 })
    try {
      const error = await rejection(clones.open({ service: 'app', url: slow.repoUrl('app') }))
      expect(error.code).toBe('timeout')
      expect(readdirSync(root)).toEqual([])
    } finally {
      await slow.close()
      removeDir(root)
    }
  })

  it('a server that is not there is endpoint-unreachable', async () => {
    const { clones, root } = newClones()
    const error = await rejection(
      clones.open({ service: 'app', url: `http://127.0.0.1:${await closedPort()}/app.git` }),
    )
    expect(error.code).toBe('endpoint-unreachable')
    removeDir(root)
  })
})

function mkdirServed(work: string): void {
  runGit(work, ['init', '-q', '--bare', join(work, 'served', '.keep.git')])
}
