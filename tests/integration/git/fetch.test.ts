import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import type { RepoSource } from '../../../src/main/core/git/clone/clones'
import { readCloneRefs, writeLooseRef } from '../../../src/main/core/git/clone/refs'
import type { RefMove } from '../../../src/main/core/git/clone/refs'
import { rejection } from '../../support/rejection'
import { startGitHttpServer } from '../../support/git-http-server'
import type { GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir, noise } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

/** The remote's branches and tags, named as the clone names them. */
function remoteRefs(bare: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of runGit(bare, ['ls-remote', '.']).trim().split('\n')) {
    const [sha, ref] = line.split('\t') as [string, string]
    if (ref.endsWith('^{}')) continue
    if (ref.startsWith('refs/heads/')) out[`refs/remotes/origin/${ref.slice(11)}`] = sha
    else if (ref.startsWith('refs/tags/')) out[ref] = sha
  }
  return out
}

/** The git CLI's view of what moved between two ls-remote snapshots: the oracle for `moved`. */
function oracleMoves(before: Record<string, string>, after: Record<string, string>): RefMove[] {
  const moves: RefMove[] = []
  for (const ref of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const from = before[ref]
    const to = after[ref]
    if (from !== to) moves.push({ ref, ...(from ? { from } : {}), ...(to ? { to } : {}) })
  }
  return moves
}

async function cloneRefs(gitdir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [ref, sha] of (await readCloneRefs(gitdir)).refs) {
    if (ref.startsWith('refs/remotes/origin/') || ref.startsWith('refs/tags/')) out[ref] = sha
  }
  return out
}

function revList(gitdir: string): string[] {
  return runGit(gitdir, ['rev-list', '--all']).trim().split('\n').sort()
}

describe('fetch into a clone', () => {
  let work: string
  let source: TestRepo
  let bare: string
  let server: GitHttpServer
  let root: string
  let clones: Clones
  let now = new Date('2026-11-20T09:00:00Z')
  const app = (): RepoSource => ({ service: 'app', url: server.repoUrl('app') })

  beforeAll(async () => {
    work = tmpDir()
    source = createRepo({ dir: join(work, 'source') })
    source.commit('Initial commit', { 'README.md': 'app\n' })
    source.tag('v1', { message: 'Release 1' })
    source.tag('moving')
    source.branch('feature/old')
    source.checkout('feature/old')
    source.commit('Old feature', { 'old.txt': 'old\n' })
    source.checkout('master')
    source.commit('Second', { 'b.txt': 'b\n' })
    bare = join(work, 'served', 'app.git')
    runGit(work, ['clone', '-q', '--bare', source.path, bare])
    server = await startGitHttpServer({ root: join(work, 'served') })
  })

  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  beforeEach(async () => {
    root = tmpDir('trainyard-clones-')
    clones = new Clones({ root, secret: () => Promise.resolve(undefined), clock: () => now })
    await clones.open(app())
    return () => removeDir(root)
  })

  /** Changes the remote the way a team does: new commits, a new branch, a deleted branch, a moved tag. */
  function pushChanges(round: string): void {
    source.checkout('master')
    source.commit(`Work ${round}`, { [`${round}.txt`]: noise(round, 150_000) })
    source.branch(`feature/${round}`)
    source.checkout(`feature/${round}`)
    const feature = source.commit(`Feature ${round}`, { [`${round}-feature.txt`]: 'x\n' })
    source.checkout('master')
    source.merge(`feature/${round}`, `Merge pull request from feature/${round}`)
    source.git('tag', '-f', 'moving', feature)
    source.tag(`v-${round}`, { message: `Release ${round}` })
    for (const stale of source.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/feature/').split('\n')) {
      if (stale !== '' && stale !== `feature/${round}`) source.git('branch', '-D', stale)
    }
    source.git('push', '-q', '--mirror', bare)
  }

  it('reports exactly the refs that moved, and ends with the same commits as the remote', async () => {
    const gitdir = clones.gitdir('app')
    const before = remoteRefs(bare)
    expect(await cloneRefs(gitdir)).toEqual(before)
    pushChanges('r1')
    const after = remoteRefs(bare)
    now = new Date('2026-11-20T09:10:00Z')
    const outcome = await clones.fetch(app())
    expect(outcome.cloned).toBe(false)
    expect(outcome.moved).toEqual(oracleMoves(before, after))
    // The cases the commit index cares about are all there.
    const deleted = outcome.moved.find((m) => m.ref === 'refs/remotes/origin/feature/old')
    expect(deleted?.from).toBe(before['refs/remotes/origin/feature/old'])
    expect(deleted).not.toHaveProperty('to')
    expect(outcome.moved.find((m) => m.ref === 'refs/tags/moving')?.from).toBe(before['refs/tags/moving'])
    expect(outcome.moved.find((m) => m.ref === 'refs/remotes/origin/feature/r1')?.from).toBeUndefined()
    expect(await cloneRefs(gitdir)).toEqual(after)
    expect(revList(gitdir)).toEqual(revList(bare))
    runGit(gitdir, ['fsck', '--no-dangling'])
    expect(await clones.status('app')).toEqual({
      service: 'app',
      state: 'ready',
      fetchedAt: '2026-11-20T09:10:00.000Z',
    })
    // Nothing moved: nothing reported.
    expect((await clones.fetch(app())).moved).toEqual([])
  })

  it('an interrupted fetch changes no ref; the clone keeps answering and the next fetch completes', async () => {
    const gitdir = clones.gitdir('app')
    const before = await cloneRefs(gitdir)
    pushChanges('r2')
    server.setFault({ kind: 'cut-upload-pack', afterBytes: 30_000 })
    const error = await rejection(clones.fetch(app()))
    expect(server.requests.at(-1)?.faulted).toBe(true)
    expect(['endpoint-unreachable', 'clone-failed', 'clone-incomplete']).toContain(error.code)
    expect(await cloneRefs(gitdir)).toEqual(before)
    runGit(gitdir, ['fsck', '--no-dangling'])
    const status = await clones.status('app')
    expect(status.state).toBe('ready')
    expect(status.error?.code).toBe(error.code)

    const outcome = await clones.fetch(app())
    expect(outcome.moved).toEqual(oracleMoves(before, remoteRefs(bare)))
    expect(await cloneRefs(gitdir)).toEqual(remoteRefs(bare))
    expect((await clones.status('app')).error).toBeUndefined()
  })

  it('cancel mid-fetch: cancelled, refs unchanged', async () => {
    const gitdir = clones.gitdir('app')
    const before = await cloneRefs(gitdir)
    pushChanges('r3')
    server.setFault({ kind: 'stall-upload-pack', afterBytes: 20_000 })
    const stalled = server.stalled()
    const fetching = clones.fetch(app())
    await stalled
    expect((await clones.status('app')).state).toBe('fetching')
    clones.cancel('app')
    expect((await rejection(fetching)).code).toBe('cancelled')
    expect(await cloneRefs(gitdir)).toEqual(before)
  })

  it('a fetch the process never finished (journal left behind) is undone on the next open', async () => {
    const gitdir = clones.gitdir('app')
    const before = await cloneRefs(gitdir)
    // What a crash between isomorphic-git's ref update and the pack's arrival leaves: a journal and refs to missing objects.
    const { writeJournal, releaseJournal } = await import('../../../src/main/core/git/clone/journal')
    const { readFetchedRefs } = await import('../../../src/main/core/git/clone/refs')
    await writeJournal(gitdir, await readFetchedRefs(gitdir))
    releaseJournal(gitdir)
    await writeLooseRef(gitdir, 'refs/remotes/origin/master', 'f'.repeat(40))
    await writeLooseRef(gitdir, 'refs/remotes/origin/ghost', 'e'.repeat(40))
    const outcome = await clones.open(app())
    expect(outcome.cloned).toBe(false)
    expect(await cloneRefs(gitdir)).toEqual(before)
  })
})
