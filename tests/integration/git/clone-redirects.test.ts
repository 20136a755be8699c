import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones } from '../../../src/main/core/git/clone/clones'
import { rejection } from '../../support/rejection'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir } from '../../support/git-repo'
import { startFrontServer, type FrontServer } from '../../support/redirect-server'

// The git client follows redirects under the shared policy, against real loopback servers that record what
// they received: a credential stays on the origin the workspace names, and https never becomes http.

const TOKEN = 'ghs_redirect-test-token-31'

let work: string
let open: GitHttpServer
let guarded: GitHttpServer
let master: string
const fronts: FrontServer[] = []
const roots: string[] = []

async function front(...args: Parameters<typeof startFrontServer>): Promise<FrontServer> {
  const server = await startFrontServer(...args)
  fronts.push(server)
  return server
}

function clonesWith(secrets: Record<string, string>): { clones: Clones; asked: string[] } {
  const asked: string[] = []
  const root = tmpDir('trainyard-clones-')
  roots.push(root)
  const clones = new Clones({
    root,
    secret: (name) => {
      asked.push(name)
      return Promise.resolve(secrets[name])
    },
  })
  return { clones, asked }
}

beforeAll(async () => {
  work = tmpDir()
  const source = createRepo({ dir: join(work, 'source') })
  master = source.commit('Initial commit', { 'README.md': 'moved\n' })
  runGit(work, ['clone', '-q', '--bare', source.path, join(work, 'served', 'app.git')])
  open = await startGitHttpServer({ root: join(work, 'served') })
  guarded = await startGitHttpServer({ root: join(work, 'served'), token: TOKEN })
})

afterAll(async () => {
  for (const server of fronts) await server.close()
  await open.close()
  await guarded.close()
  removeDir(work)
  for (const root of roots) removeDir(root)
})

describe('git redirects', () => {
  it('follows a redirect to another host and fetches from where it led', async () => {
    const moved = await front({ redirect: (url) => `${open.url}${url}` })
    const { clones } = clonesWith({})
    await clones.open({ service: 'app', url: `${moved.url}/app.git` })
    expect((await clones.refs('app')).refs.get('refs/remotes/origin/master')).toBe(master)
    // Only the advertisement was redirected; the pack request went straight to the new base.
    expect(moved.requests.map((r) => r.method)).toEqual(['GET'])
    expect(open.requests.some((r) => r.method === 'POST' && r.path === '/app.git/git-upload-pack')).toBe(true)
  })

  it('never sends the credential to the host it was redirected to', async () => {
    const moved = await front({ redirect: (url) => `${guarded.url}${url}` })
    const before = guarded.requests.length
    const { clones, asked } = clonesWith({ 'git-token': TOKEN })
    const error = await rejection(clones.open({ service: 'app', url: `${moved.url}/app.git`, credential: 'git-token' }))
    expect(error.code).toBe('auth-failed')
    expect(error.message).toMatch(/redirected/)
    expect(asked).toEqual([])
    // A token pasted into the URL goes to its own host, and no further.
    const pasted = `${moved.url.replace('http://', `http://x-access-token:${TOKEN}@`)}/app.git`
    expect((await rejection(clonesWith({}).clones.open({ service: 'app', url: pasted }))).code).toBe('auth-failed')
    expect(moved.requests.some((r) => r.authorized)).toBe(true)
    const reached = guarded.requests.slice(before)
    expect(reached.length).toBeGreaterThan(0)
    expect(reached.some((r) => r.authorized)).toBe(false)
  })

  it('keeps the credential on a redirect within its own origin', async () => {
    const renamed = await front({
      redirect: (url) => (url.startsWith('/old.git/') ? url.replace('/old.git/', '/app.git/') : undefined),
      upstream: guarded.url,
    })
    const { clones, asked } = clonesWith({ 'git-token': TOKEN })
    await clones.open({ service: 'app', url: `${renamed.url}/old.git`, credential: 'git-token' })
    expect((await clones.refs('app')).refs.get('refs/remotes/origin/master')).toBe(master)
    expect(asked).toEqual(['git-token'])
    expect(
      renamed.requests.some((r) => r.method === 'POST' && r.url === '/app.git/git-upload-pack' && r.authorized),
    ).toBe(true)
  })

  it('a push redirected to another host does not take the credential along', async () => {
    // Fetches pass through to the open server; once the clone exists, pushes are sent elsewhere.
    const push: { to?: string } = {}
    const moved = await front({
      redirect: (url) => (url.includes('receive-pack') && push.to ? `${push.to}${url}` : undefined),
      upstream: open.url,
    })
    const { clones } = clonesWith({ 'git-token': TOKEN })
    const source = { service: 'app', url: `${moved.url}/app.git`, credential: 'git-token' }
    await clones.open(source)
    push.to = guarded.url
    const before = guarded.requests.length
    const error = await rejection(
      clones.pushBranch(source, { branch: 'hotfix', sha: master, expectedRemoteSha: undefined }),
    )
    expect(error.code).toBe('auth-failed')
    const reached = guarded.requests.slice(before)
    expect(reached.length).toBeGreaterThan(0)
    expect(reached.some((r) => r.authorized)).toBe(false)
  })

  it('refuses a redirect from https to plain http', async () => {
    const dir = tmpDir('trainyard-tls-')
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    )
    const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') }
    const secure = await front({ redirect: (url) => `${open.url}${url}`, tls })
    const before = open.requests.length
    // Trusting a test certificate takes NODE_EXTRA_CA_CERTS, which node reads only at start: a process of its own.
    const child = join(import.meta.dirname, '..', '..', 'support', 'fetch-child.ts')
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', child, 'clone', join(dir, 'clones'), 'app', `${secure.url}/app.git`],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } },
        (error, out) => (error ? reject(new Error(error.message)) : resolve(out)),
      ),
    )
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { code?: string; message?: string }
    expect(outcome.code).toBe('bad-response')
    expect(outcome.message).toMatch(/never downgrades/)
    expect(secure.requests.length).toBe(1)
    expect(open.requests.length).toBe(before)
    removeDir(dir)
  })
})
