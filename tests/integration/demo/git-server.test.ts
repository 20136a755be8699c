import { writeFileSync as writeFile } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones, type RepoSource } from '../../../src/main/core/git/clone/clones'
import { startDemoGitServer, type DemoGitServer } from '../../../src/main/demo/git-server'
import { createRepo, gitEnv, removeDir, runGit, runGitAsync, tmpDir, type TestRepo } from '../../support/git-repo'

/*
 * The demo's own git server, with the git CLI as the client that must agree: anyone clones and fetches; a push
 * needs the server's token, is stored as a pack git can read, and moves a ref only from the value the pusher saw.
 */
describe('the demo git server', () => {
  const TOKEN = 'demo-git-token-0123456789'
  let work: string
  let source: TestRepo
  let server: DemoGitServer
  let base = ''
  const url = (auth?: string): string => {
    const u = new URL(`${server.url}/app.git`)
    if (auth !== undefined) {
      u.username = 'x-access-token'
      u.password = auth
    }
    return u.toString()
  }
  const bare = (): string => join(work, 'origin', 'app.git')
  // The server runs in this process: git must run without blocking the event loop, or nobody answers it.
  const cli = async (cwd: string, args: string[]): Promise<{ ok: boolean; out: string }> =>
    runGitAsync(cwd, args).then(
      (out) => ({ ok: true, out }),
      (error: unknown) => ({ ok: false, out: String(error) }),
    )
  const has = (ref: string): boolean => runGit(bare(), ['for-each-ref', '--format=%(objectname)', ref]).trim() !== ''

  beforeAll(async () => {
    work = tmpDir('trainyard-demo-git-')
    source = createRepo({ dir: join(work, 'source') })
    base = source.commit('Initial commit', { 'README.md': 'app\n' })
    source.commit('Feature', { 'f.txt': 'f\n' })
    runGit(work, ['clone', '-q', '--bare', source.path, bare()])
    server = await startDemoGitServer(join(work, 'origin'), { token: TOKEN })
  })
  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  it('lets git clone without a credential, and refuses a push without the token', async () => {
    expect((await cli(work, ['clone', '-q', url(), 'anon'])).ok).toBe(true)
    const anon = join(work, 'anon')
    runGit(anon, ['checkout', '-q', '-b', 'uk-release', base])
    const refused = await cli(anon, ['push', '-q', 'origin', 'uk-release'])
    expect(refused).toMatchObject({ ok: false, out: expect.stringContaining('Username') as unknown })
    expect((await cli(anon, ['push', '-q', url('not-the-token'), 'uk-release'])).ok).toBe(false)
    expect(has('refs/heads/uk-release')).toBe(false)
  })

  it('takes a push from git with the token: objects git can read, the branch moved', async () => {
    const anon = join(work, 'anon')
    runGit(anon, ['commit', '-q', '--allow-empty', '-m', 'Hotfix'], { env: gitEnv(1_800_000_000) })
    const fix = runGit(anon, ['rev-parse', 'HEAD']).trim()
    const pushed = await cli(anon, ['push', '-q', url(TOKEN), 'uk-release'])
    expect(pushed).toMatchObject({ ok: true })
    expect(runGit(bare(), ['rev-parse', 'refs/heads/uk-release']).trim()).toBe(fix)
    runGit(bare(), ['fsck', '--no-dangling'])
    // A new file's blob travels too: the pack holds more than the commit.
    runGit(anon, ['checkout', '-q', 'master'])
    writeFile(join(anon, 'g.txt'), 'g\n')
    runGit(anon, ['add', 'g.txt'])
    runGit(anon, ['commit', '-q', '-m', 'Add g'], { env: gitEnv(1_800_000_100) })
    expect((await cli(anon, ['push', '-q', url(TOKEN), 'master'])).ok).toBe(true)
    expect(runGit(bare(), ['show', 'master:g.txt'])).toBe('g\n')
    runGit(bare(), ['fsck', '--no-dangling'])
  })

  it('takes Trainyard’s own push with the credential, and refuses one whose lease is stale', async () => {
    const clones = new Clones({
      root: join(work, 'clones'),
      secret: (name) => Promise.resolve(name === 'demo-git' ? TOKEN : undefined),
    })
    const app: RepoSource = { service: 'app', url: url(), credential: 'demo-git' }
    await clones.open(app)
    const tip = runGit(bare(), ['rev-parse', 'refs/heads/uk-release']).trim()
    await clones.pushBranch(app, { branch: 'us-release', sha: base, expectedRemoteSha: undefined })
    expect(runGit(bare(), ['rev-parse', 'refs/heads/us-release']).trim()).toBe(base)
    // The remote uk-release is at `tip`; a push that expects it absent must not move it.
    await expect(
      clones.pushBranch(app, { branch: 'uk-release', sha: base, expectedRemoteSha: undefined }),
    ).rejects.toMatchObject({ code: 'push-rejected' })
    expect(runGit(bare(), ['rev-parse', 'refs/heads/uk-release']).trim()).toBe(tip)

    // The server's own check, under any client: a ref moves only from the value the pusher names.
    const line = `${base} ${base} refs/heads/uk-release\0report-status\n`
    const body = Buffer.concat([
      Buffer.from((line.length + 4).toString(16).padStart(4, '0') + line),
      Buffer.from('0000'),
    ])
    const response = await fetch(`${server.url}/app.git/git-receive-pack`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}` },
      body,
    })
    expect(await response.text()).toContain('ng refs/heads/uk-release fetch first')
    expect(runGit(bare(), ['rev-parse', 'refs/heads/uk-release']).trim()).toBe(tip)

    const stranger = new Clones({ root: join(work, 'clones-2'), secret: () => Promise.resolve('stale') })
    await stranger.open(app)
    await expect(
      stranger.pushBranch(app, { branch: 'eu-release', sha: base, expectedRemoteSha: undefined }),
    ).rejects.toMatchObject({ code: 'auth-failed' })
  })
})
