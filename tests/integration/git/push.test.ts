import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import type { RepoSource } from '../../../src/main/core/git/clone/clones'
import { rejection } from '../../support/rejection'
import { startGitHttpServer } from '../../support/git-http-server'
import type { GitHttpServer } from '../../support/git-http-server'
import { BASE_TIME, createRepo, gitEnv, removeDir, runGit, tmpDir } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

const TOKEN = 'push-token-value-123'

describe('push a hotfix branch with a lease', () => {
  let work: string
  let source: TestRepo
  let bare: string
  let server: GitHttpServer
  let clones: Clones
  let gitdir: string
  let tick = BASE_TIME + 100_000
  const app = (): RepoSource => ({ service: 'app', url: server.repoUrl('app'), credential: 'github-app' })

  /** A new commit written straight into the clone (what a cherry-pick does): `parent`'s tree plus an empty change. */
  function commitInClone(parent: string, message: string): string {
    const tree = runGit(gitdir, ['rev-parse', `${parent}^{tree}`]).trim()
    tick += 60
    return runGit(gitdir, ['commit-tree', tree, '-p', parent, '-m', message], { env: gitEnv(tick) }).trim()
  }

  const remoteBranch = (branch: string): string | undefined =>
    runGit(bare, ['for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`]).trim() || undefined

  beforeAll(async () => {
    work = tmpDir()
    source = createRepo({ dir: join(work, 'source') })
    const base = source.commit('Initial commit', { 'README.md': 'app\n' })
    source.commit('Feature', { 'f.txt': 'f\n' })
    source.branch('uk-release', base)
    bare = join(work, 'served', 'app.git')
    runGit(work, ['clone', '-q', '--bare', source.path, bare])
    server = await startGitHttpServer({ root: join(work, 'served'), token: TOKEN })
    clones = new Clones({
      root: join(work, 'clones'),
      secret: (name) => Promise.resolve(name === 'github-app' ? TOKEN : undefined),
    })
    await clones.open(app())
    gitdir = clones.gitdir('app')
  })

  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  it('pushes when the remote branch is where we expect, and updates the local refs', async () => {
    const remoteTip = remoteBranch('uk-release')
    expect(remoteTip).toBeDefined()
    await clones.createBranch('app', 'uk-release', remoteTip as string)
    const fix = commitInClone('refs/heads/uk-release', 'Hotfix: cherry-picked fix')
    await clones.pushBranch(app(), { branch: 'uk-release', sha: fix, expectedRemoteSha: remoteTip })
    expect(remoteBranch('uk-release')).toBe(fix)
    runGit(bare, ['fsck', '--no-dangling'])
    const refs = (await clones.refs('app')).refs
    expect(refs.get('refs/heads/uk-release')).toBe(fix)
    expect(refs.get('refs/remotes/origin/uk-release')).toBe(fix)
  })

  it('is refused, and changes nothing, when someone else pushed first', async () => {
    const ours = remoteBranch('uk-release') as string
    // A teammate pushes to the branch with the git CLI in between.
    source.checkout('uk-release')
    source.git('fetch', '-q', bare, 'uk-release')
    source.git('reset', '-q', '--hard', 'FETCH_HEAD')
    const theirs = source.commit('Teammate hotfix', { 'hotfix.txt': 'theirs\n' })
    source.git('push', '-q', bare, 'uk-release')
    source.checkout('master')
    const next = commitInClone(ours, 'Second hotfix')
    const error = await rejection(
      clones.pushBranch(app(), { branch: 'uk-release', sha: next, expectedRemoteSha: ours }),
    )
    expect(error.code).toBe('push-rejected')
    expect(error.message).toContain(`expected ${ours}, found ${theirs}`)
    expect(error.message).toContain('fetch and retry')
    expect(remoteBranch('uk-release')).toBe(theirs)
    const refs = (await clones.refs('app')).refs
    expect(refs.get('refs/remotes/origin/uk-release')).toBe(ours)
    expect(refs.get('refs/heads/uk-release')).toBe(ours)
    expect([...refs.keys()].filter((ref) => ref.startsWith('refs/trainyard/'))).toEqual([])
  })

  it('creates a branch only when it does not exist yet, and then allows a non-fast-forward under the lease', async () => {
    const master = runGit(bare, ['rev-parse', 'master']).trim()
    const base = runGit(bare, ['rev-parse', 'master~1']).trim()
    const fix = commitInClone(base, 'EU hotfix')
    await clones.pushBranch(app(), { branch: 'eu-release', sha: fix, expectedRemoteSha: undefined })
    expect(remoteBranch('eu-release')).toBe(fix)

    const again = await rejection(
      clones.pushBranch(app(), { branch: 'eu-release', sha: master, expectedRemoteSha: undefined }),
    )
    expect(again.code).toBe('push-rejected')
    expect(again.message).toContain(`expected no branch, found ${fix}`)

    // master does not descend from the fix: a rewrite, allowed because the lease holds.
    await clones.pushBranch(app(), { branch: 'eu-release', sha: master, expectedRemoteSha: fix })
    expect(remoteBranch('eu-release')).toBe(master)
  })

  it('refuses a SHA the clone does not have, and a bad branch name', async () => {
    expect(
      (await rejection(clones.pushBranch(app(), { branch: 'x', sha: 'a'.repeat(40), expectedRemoteSha: undefined })))
        .code,
    ).toBe('sha-not-in-clone')
    const master = runGit(bare, ['rev-parse', 'master']).trim()
    expect(
      (await rejection(clones.pushBranch(app(), { branch: '../evil', sha: master, expectedRemoteSha: undefined })))
        .code,
    ).toBe('invalid-input')
    expect(remoteBranch('x')).toBeUndefined()
  })

  it('a refused token is auth-failed naming the credential', async () => {
    const other = new Clones({ root: join(work, 'clones'), secret: () => Promise.resolve('stale-token') })
    const master = runGit(bare, ['rev-parse', 'master']).trim()
    const error = await rejection(other.pushBranch(app(), { branch: 'y', sha: master, expectedRemoteSha: undefined }))
    expect(error.code).toBe('auth-failed')
    expect(error.message).toContain('github-app')
    expect(error.message).not.toContain('stale-token')
    expect(remoteBranch('y')).toBeUndefined()
  })

  it('a server that refuses pushes (403) says there is no write access, not that a credential is wrong', async () => {
    runGit(bare, ['config', 'http.receivepack', 'false'])
    try {
      const master = runGit(bare, ['rev-parse', 'master']).trim()
      const error = await rejection(
        clones.pushBranch(app(), { branch: 'z', sha: master, expectedRemoteSha: undefined }),
      )
      expect(error.code).toBe('forbidden')
      expect(error.message).toContain('the server refused the push: no write access')
      expect(error.message).not.toContain('credentials set')
      expect(error.message).not.toContain(TOKEN)
      expect(remoteBranch('z')).toBeUndefined()
    } finally {
      runGit(bare, ['config', '--unset', 'http.receivepack'])
    }
  })
})
