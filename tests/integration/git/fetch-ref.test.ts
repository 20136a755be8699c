import * as fs from 'node:fs'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import type { RepoSource } from '../../../src/main/core/git/clone/clones'
import { AppError } from '../../../src/shared/errors'
import { startGitHttpServer } from '../../support/git-http-server'
import type { GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir } from '../../support/git-repo'

const REF = 'refs/trainyard/coordination'
const TOKEN = 'ref-token-value-456'

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

/** A commit of one file written into a bare gitdir with isomorphic-git's object API (what the coordination store does). */
async function commitInto(gitdir: string, text: string, parent?: string): Promise<string> {
  const blob = await git.writeBlob({ fs, gitdir, blob: Buffer.from(text) })
  const tree = await git.writeTree({ fs, gitdir, tree: [{ mode: '100644', path: 'a.json', oid: blob, type: 'blob' }] })
  const who = { name: 'T', email: 't@example.test', timestamp: 1_704_067_200, timezoneOffset: 0 }
  return git.writeCommit({
    fs,
    gitdir,
    commit: { tree, parent: parent ? [parent] : [], author: who, committer: who, message: `${text}\n` },
  })
}

describe('fetch and push one ref outside branches and tags', () => {
  let work: string
  let bare: string
  let server: GitHttpServer
  const clonesOf = (name: string) =>
    new Clones({
      root: join(work, name),
      secret: (n) => Promise.resolve(n === 'git-token' ? TOKEN : undefined),
    })
  const source = (): RepoSource => ({ service: 'coordination', url: server.repoUrl('team'), credential: 'git-token' })
  const remoteRef = (): string => runGit(bare, ['for-each-ref', '--format=%(objectname)', REF]).trim()

  beforeAll(async () => {
    work = tmpDir()
    const repo = createRepo({ dir: join(work, 'source') })
    repo.commit('Workspace file', { 'team.trainyard.yaml': 'name: team\n' })
    bare = join(work, 'served', 'team.git')
    runGit(work, ['clone', '-q', '--bare', repo.path, bare])
    server = await startGitHttpServer({ root: join(work, 'served'), token: TOKEN })
  })

  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  it('makes a clone of only that ref; a remote without it answers undefined', async () => {
    const a = clonesOf('a')
    expect(await a.fetchRef(source(), REF)).toBeUndefined()
    expect((await a.status('coordination')).state).toBe('ready')
    const refs = await a.refs('coordination')
    expect([...refs.refs.keys()].filter((r) => r.startsWith('refs/remotes/'))).toEqual([])
  })

  it('pushes with a lease, and another clone fetches exactly what was pushed', async () => {
    const a = clonesOf('a')
    await a.fetchRef(source(), REF)
    const first = await commitInto(a.gitdir('coordination'), 'one')
    await a.pushRef(source(), { ref: REF, sha: first, expectedRemoteSha: undefined })
    expect(remoteRef()).toBe(first)
    // No local ref moved: the caller decides when its copy follows.
    expect((await a.refs('coordination')).refs.get(REF)).toBeUndefined()

    const b = clonesOf('b')
    expect(await b.fetchRef(source(), REF)).toBe(first)
    expect(runGit(b.gitdir('coordination'), ['cat-file', '-p', `${first}:a.json`])).toBe('one')
    expect(runGit(b.gitdir('coordination'), ['rev-parse', REF]).trim()).toBe(first)
  })

  it('refuses a push whose lease is broken and leaves the remote ref alone', async () => {
    const a = clonesOf('a')
    const seen = await a.fetchRef(source(), REF)
    const b = clonesOf('b')
    await b.fetchRef(source(), REF)
    const theirs = await commitInto(b.gitdir('coordination'), 'theirs', seen)
    await b.pushRef(source(), { ref: REF, sha: theirs, expectedRemoteSha: seen })
    const ours = await commitInto(a.gitdir('coordination'), 'ours', seen)
    const error = await rejection(a.pushRef(source(), { ref: REF, sha: ours, expectedRemoteSha: seen }))
    expect(error.code).toBe('push-rejected')
    expect(error.details).toMatchObject({ ref: REF, expected: seen, found: theirs })
    expect(remoteRef()).toBe(theirs)
    // A fetch brings the new value incrementally (a thin pack on top of what the clone has); git accepts the clone.
    expect(await a.fetchRef(source(), REF)).toBe(theirs)
    expect(runGit(a.gitdir('coordination'), ['cat-file', '-p', `${theirs}:a.json`])).toBe('theirs')
    runGit(a.gitdir('coordination'), ['fsck', '--full', '--no-dangling'])
  })

  it('without the server, says it is unreachable and changes no ref', async () => {
    const other = await startGitHttpServer({ root: join(work, 'served'), token: TOKEN })
    const down = { ...source(), url: other.repoUrl('team') }
    const c = clonesOf('c')
    const before = await c.fetchRef(down, REF)
    expect(before).toBe(remoteRef())
    await other.close()
    const error = await rejection(c.fetchRef(down, REF))
    expect(error.code).toBe('endpoint-unreachable')
    expect(error.message).not.toContain(TOKEN)
    expect((await c.refs('coordination')).refs.get(REF)).toBe(before)
  })
})
