import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import { rejection } from '../../support/rejection'
import { startGitHttpServer } from '../../support/git-http-server'
import type { GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir } from '../../support/git-repo'

const TOKEN = 'ghs_right-token-value-42'

describe('clones with a token', () => {
  let work: string
  let server: GitHttpServer
  let master: string

  beforeAll(async () => {
    work = tmpDir()
    const source = createRepo({ dir: join(work, 'source') })
    master = source.commit('Initial commit', { 'README.md': 'private\n' })
    runGit(work, ['clone', '-q', '--bare', source.path, join(work, 'served', 'app.git')])
    server = await startGitHttpServer({ root: join(work, 'served'), token: TOKEN })
  })

  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  function clonesWith(secrets: Record<string, string>): { clones: Clones; root: string; asked: string[] } {
    const root = tmpDir('trainyard-clones-')
    const asked: string[] = []
    const secret = (name: string): Promise<string | undefined> => {
      asked.push(name)
      return Promise.resolve(secrets[name])
    }
    return { clones: new Clones({ root, secret }), root, asked }
  }

  it('clones with the right token, sent as x-access-token basic auth', async () => {
    const { clones, root, asked } = clonesWith({ 'github-app': TOKEN })
    await clones.open({ service: 'app', url: server.repoUrl('app'), credential: 'github-app' })
    expect((await clones.refs('app')).refs.get('refs/remotes/origin/master')).toBe(master)
    expect(asked).toContain('github-app')
    expect(server.requests.some((r) => r.authorized && r.status === 200)).toBe(true)
    removeDir(root)
  })

  it('a wrong token is auth-failed naming the credential, never its value', async () => {
    const { clones, root } = clonesWith({ 'github-app': 'wrong-token-value-77' })
    const error = await rejection(clones.open({ service: 'app', url: server.repoUrl('app'), credential: 'github-app' }))
    expect(error.code).toBe('auth-failed')
    expect(error.message).toContain('github-app')
    expect(error.message).toContain('trainyard credentials set github-app')
    const everything = JSON.stringify({
      message: error.message,
      details: error.details,
      status: await clones.status('app'),
    })
    expect(everything).not.toContain('wrong-token-value-77')
    expect(everything).not.toContain(TOKEN)
    expect(readdirSync(root)).toEqual([])
    removeDir(root)
  })

  it('a repo that needs a token but names no credential is auth-failed', async () => {
    const { clones, root } = clonesWith({})
    const error = await rejection(clones.open({ service: 'app', url: server.repoUrl('app') }))
    expect(error.code).toBe('auth-failed')
    removeDir(root)
  })

  it('a named credential that is not set is credential-missing', async () => {
    const { clones, root } = clonesWith({})
    const error = await rejection(clones.open({ service: 'app', url: server.repoUrl('app'), credential: 'github-app' }))
    expect(error.code).toBe('credential-missing')
    expect(error.message).toContain('trainyard credentials set github-app')
    removeDir(root)
  })

  it('a token pasted into the URL never shows in an error', async () => {
    const { clones, root } = clonesWith({})
    const wrong = server.repoUrl('app').replace('http://', 'http://x-access-token:pasted-secret-99@')
    const error = await rejection(clones.open({ service: 'app', url: wrong }))
    expect(error.code).toBe('auth-failed')
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('pasted-secret-99')
    // A working token in the URL is used for the clone but never written into the clone's files.
    const right = server.repoUrl('app').replace('http://', `http://x-access-token:${TOKEN}@`)
    await clones.open({ service: 'app', url: right })
    const gitdir = clones.gitdir('app')
    expect(readFileSync(join(gitdir, 'config'), 'utf8')).not.toContain(TOKEN)
    expect(readFileSync(join(gitdir, 'trainyard-clone.json'), 'utf8')).not.toContain(TOKEN)
    removeDir(root)
  })
})
