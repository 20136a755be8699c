import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import type { Endpoint, WorkspaceDraft } from '../../../src/shared/models/workspace'
import { memoryAppState, type AppStatePort } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { checkEndpoint } from '../../../src/main/core/integrations/endpoint-check'
import { loadWorkspace } from '../../../src/main/core/workspace/load'
import { startGitHubSimulator, type GitHubSimulator } from '../../../src/main/simulators/github-simulator'
import { startJenkinsSimulator, type JenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'

const RUNDECK_TOKEN = 'rdk-create-test-secret-1234'
const JENKINS_TOKEN = '11aabbccddeeff00112233445566778899'
const GITHUB_TOKEN = 'ghp_createtestsecretvalue0000000001'
const SECRETS = [RUNDECK_TOKEN, JENKINS_TOKEN, GITHUB_TOKEN, 'wrong-secret-value-9876']

function draft(rundeckUrl: string): WorkspaceDraft {
  const template = { service: '{service}', sha: '{sha}' }
  return {
    name: 'Created team',
    endpoints: {
      rundeck: { kind: 'rundeck', url: rundeckUrl, apiVersion: 45, credential: 'rundeck-token', project: 'payments' },
      jenkins: { kind: 'jenkins', url: 'http://127.0.0.1:9', user: 'bot', credential: 'jenkins-token' },
    },
    services: [
      { name: 'billing', repo: { url: 'http://127.0.0.1:9/billing.git' }, defaultBranch: 'main', environments: {} },
    ],
    environments: [
      {
        name: 'dev',
        probe: { kind: 'http', url: 'http://127.0.0.1:9/{service}/version', format: 'json', pointer: '/sha' },
        deploy: {
          provider: 'rundeck',
          endpoint: 'rundeck',
          jobId: 'job-deploy',
          options: { ...template, environment: '{environment}' },
        },
        requirePreviousSuccess: false,
      },
      {
        name: 'production',
        probe: { kind: 'rundeck', endpoint: 'rundeck', jobId: 'job-deploy', shaOption: 'sha' },
        deploy: { provider: 'jenkins', endpoint: 'jenkins', job: 'deploy-{service}', parameters: { GIT_SHA: '{sha}' } },
        requirePreviousSuccess: true,
      },
    ],
    regions: [{ name: 'eu', label: 'Europe', path: ['dev', 'production'], production: ['production'] }],
  }
}

function expectNoSecret(value: unknown): void {
  const text = JSON.stringify(value)
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('creating a workspace and testing endpoints through the cockpit', () => {
  let dir: string
  let cockpit: Cockpit
  let store: MemorySecretStore
  let appState: AppStatePort
  let rundeck: RundeckSimulator
  let jenkins: JenkinsSimulator
  let github: GitHubSimulator
  let silent: Server
  const sockets: Socket[] = []
  let closedPort: number

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trainyard-create-'))
    rundeck = await startRundeckSimulator({
      jobs: [{ id: 'job-deploy', name: 'deploy', project: 'payments' }],
      tokens: { [RUNDECK_TOKEN]: 'cockpit' },
    })
    jenkins = await startJenkinsSimulator({
      jobs: [{ path: 'deploy-billing' }],
      users: [{ name: 'bot', token: JENKINS_TOKEN }],
    })
    github = await startGitHubSimulator({ tokens: { [GITHUB_TOKEN]: 'octocat' } })
    // Accepts connections and never answers: the shape of a hung server.
    silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    closedPort = (probe.address() as { port: number }).port
    await new Promise((r) => probe.close(r))
    store = new MemorySecretStore()
    appState = memoryAppState()
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState,
      secrets: store,
      logger: memoryLogger(),
    })
  })

  afterAll(async () => {
    await cockpit?.close()
    for (const socket of sockets) socket.destroy()
    await Promise.all([rundeck?.close(), jenkins?.close(), github?.close(), new Promise((r) => silent?.close(r))])
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes a file the validator accepts, stores the secrets and opens it', async () => {
    const file = join(dir, 'team', 'created.trainyard.yaml')
    const secrets = [
      { name: 'rundeck-token', secret: RUNDECK_TOKEN },
      { name: 'jenkins-token', secret: JENKINS_TOKEN },
    ]
    const view = await cockpit.invoke('workspace.create', { file, draft: draft(rundeck.url), secrets })
    expect(view.problems).toEqual([])
    expect(view.workspace?.name).toBe('Created team')
    const reread = await loadWorkspace(file)
    expect(reread.problems).toEqual([])
    expect(reread.workspace?.regions[0]?.path).toEqual(['dev', 'production'])
    expect(reread.workspace?.environments[0]?.deploy).toEqual({
      provider: 'rundeck',
      endpoint: 'rundeck',
      jobId: 'job-deploy',
      options: { service: '{service}', sha: '{sha}', environment: '{environment}' },
    })
    expect(await store.get('rundeck-token')).toBe(RUNDECK_TOKEN)
    expect(await store.get('jenkins-token')).toBe(JENKINS_TOKEN)
    expectNoSecret(readFileSync(file, 'utf8'))
    expectNoSecret(view)
    expect(appState.recentWorkspaces()).toContain(file)
    expect((await cockpit.invoke('workspace.current', {}))?.file).toBe(file)
    expect(readdirSync(join(dir, 'team'))).toEqual(['created.trainyard.yaml'])
  })

  it('refuses to replace an existing file unless asked', async () => {
    const file = join(dir, 'existing.trainyard.yaml')
    const previous = 'version: 1\nname: Previous\nservices: []\nenvironments: {}\nregions: {}\n'
    writeFileSync(file, previous)
    const attempt = cockpit.invoke('workspace.create', { file, draft: draft(rundeck.url), secrets: [] })
    await expect(attempt).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(attempt).rejects.toThrow(/already a file/)
    expect(readFileSync(file, 'utf8')).toBe(previous)
    const view = await cockpit.invoke('workspace.create', {
      file,
      draft: draft(rundeck.url),
      secrets: [],
      overwrite: true,
    })
    expect(view.problems).toEqual([])
    expect(readFileSync(file, 'utf8')).toContain('name: Created team')
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('returns the problems of an invalid draft with their lines and writes nothing', async () => {
    const file = join(dir, 'invalid.trainyard.yaml')
    const bad = draft(rundeck.url)
    bad.regions = [{ name: 'eu', label: 'Europe', path: ['dev', 'prodution'], production: ['prodution'] }]
    const view = await cockpit.invoke('workspace.create', {
      file,
      draft: bad,
      secrets: [{ name: 'rundeck-token', secret: 'wrong-secret-value-9876' }],
    })
    expect(view.workspace).toBeNull()
    expect(view.problems.length).toBeGreaterThan(0)
    expect(view.problems.some((p) => p.message.includes('prodution') && p.line > 1)).toBe(true)
    expect(existsSync(file)).toBe(false)
    expect(await store.get('rundeck-token')).toBe(RUNDECK_TOKEN)
  })

  it("refuses a relative path, which would land in the app's working directory", async () => {
    const attempt = cockpit.invoke('workspace.create', {
      file: 'relative.trainyard.yaml',
      draft: draft(rundeck.url),
      secrets: [],
    })
    await expect(attempt).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(attempt).rejects.toThrow(/full path/)
  })

  it('refuses a secret for a credential the workspace does not use, writing nothing', async () => {
    const file = join(dir, 'stray.trainyard.yaml')
    const attempt = cockpit.invoke('workspace.create', {
      file,
      draft: draft(rundeck.url),
      secrets: [{ name: 'typo-token', secret: 'x1y2z3' }],
    })
    await expect(attempt).rejects.toMatchObject({ code: 'invalid-input' })
    expect(existsSync(file)).toBe(false)
  })

  it('keeps the file and names the credential when the keychain refuses a secret', async () => {
    const broken = new MemorySecretStore()
    broken.set = () => Promise.reject(new AppError('keychain-unavailable', 'No Secret Service is running.'))
    const other = await createCockpit({
      paths: { data: join(dir, 'd2'), cache: join(dir, 'c2') },
      appState: memoryAppState(),
      secrets: broken,
      logger: memoryLogger(),
    })
    try {
      const file = join(dir, 'nokeychain.trainyard.yaml')
      const error = await other
        .invoke('workspace.create', {
          file,
          draft: draft(rundeck.url),
          secrets: [{ name: 'jenkins-token', secret: JENKINS_TOKEN }],
        })
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'keychain-unavailable', details: { file, failed: ['jenkins-token'] } })
      expect((error as Error).message).toContain('"jenkins-token"')
      expectNoSecret({ message: (error as Error).message, details: (error as AppError).details })
      expect((await loadWorkspace(file)).problems).toEqual([])
    } finally {
      await other.close()
    }
  })

  const rundeckAt = (url: string, apiVersion = 45): Endpoint => ({
    kind: 'rundeck',
    url,
    apiVersion,
    credential: 'rundeck-token',
    project: 'payments',
  })

  it('tests Rundeck: the typed token, then the stored one; a refused token; an API version the server lacks', async () => {
    const ok = await cockpit.invoke('endpoints.test', { endpoint: rundeckAt(rundeck.url), secret: RUNDECK_TOKEN })
    expect(ok).toEqual({ ok: true, message: 'Rundeck 5.7.0, API 50: token accepted; project payments found' })
    // No secret typed: the keychain's (stored by the first test).
    expect((await cockpit.invoke('endpoints.test', { endpoint: rundeckAt(rundeck.url) })).ok).toBe(true)
    const refused = await cockpit.invoke('endpoints.test', {
      endpoint: rundeckAt(rundeck.url),
      secret: 'wrong-secret-value-9876',
    })
    expect(refused).toMatchObject({ ok: false, code: 'auth-failed' })
    expect(refused.message).toContain('"rundeck-token"')
    const tooNew = await cockpit.invoke('endpoints.test', {
      endpoint: rundeckAt(rundeck.url, 99),
      secret: RUNDECK_TOKEN,
    })
    expect(tooNew).toMatchObject({ ok: false, code: 'unsupported' })
    expect(tooNew.message).toContain("server's API version is 50")
    const noProject = await cockpit.invoke('endpoints.test', {
      endpoint: { ...rundeckAt(rundeck.url), project: 'nope' } as Endpoint,
      secret: RUNDECK_TOKEN,
    })
    expect(noProject).toMatchObject({ ok: false, code: 'not-found' })
    expectNoSecret([ok, refused, tooNew, noProject])
  })

  it('tests Jenkins with basic auth and GitHub with a token', async () => {
    const jenkinsAt: Endpoint = { kind: 'jenkins', url: jenkins.url, user: 'bot', credential: 'jenkins-token' }
    const ok = await cockpit.invoke('endpoints.test', { endpoint: jenkinsAt, secret: JENKINS_TOKEN })
    expect(ok).toEqual({ ok: true, message: 'Jenkins 2.578: user bot accepted' })
    const refused = await cockpit.invoke('endpoints.test', { endpoint: jenkinsAt, secret: 'wrong-secret-value-9876' })
    expect(refused).toMatchObject({ ok: false, code: 'auth-failed' })
    const githubAt: Endpoint = { kind: 'github', url: github.url, credential: 'github-token' }
    const gh = await cockpit.invoke('endpoints.test', { endpoint: githubAt, secret: GITHUB_TOKEN })
    expect(gh.ok).toBe(true)
    expect(gh.message).toMatch(/^GitHub: token accepted; \d+ of \d+ requests left$/)
    const ghRefused = await cockpit.invoke('endpoints.test', { endpoint: githubAt, secret: 'wrong-secret-value-9876' })
    expect(ghRefused).toMatchObject({ ok: false, code: 'auth-failed' })
    const ghMissing = await cockpit.invoke('endpoints.test', { endpoint: githubAt })
    expect(ghMissing).toMatchObject({ ok: false, code: 'credential-missing' })
    expectNoSecret([ok, refused, gh, ghRefused, ghMissing])
  })

  it('says a closed port is unreachable and a silent server timed out, without the secret', async () => {
    const closed = await cockpit.invoke('endpoints.test', {
      endpoint: rundeckAt(`http://127.0.0.1:${closedPort}`),
      secret: RUNDECK_TOKEN,
    })
    expect(closed).toMatchObject({ ok: false, code: 'endpoint-unreachable' })
    expect(closed.message).toContain('refused the connection')
    // No secret typed and none in the keychain: the URL is still tried first, and is what is wrong.
    const closedNoSecret = await cockpit.invoke('endpoints.test', {
      endpoint: rundeckAt(`http://127.0.0.1:${closedPort}`),
    })
    expect(closedNoSecret).toMatchObject({ ok: false, code: 'endpoint-unreachable' })
    const port = (silent.address() as { port: number }).port
    // The command waits 5 s; the same check with a short wait keeps the suite fast.
    const hung = await checkEndpoint(
      { endpoint: { kind: 'http', url: `http://127.0.0.1:${port}/version`, credential: 'x' }, secret: GITHUB_TOKEN },
      { secret: () => Promise.resolve(undefined), bound: undefined, timeoutMs: 300 },
    )
    expect(hung).toMatchObject({ ok: false, code: 'timeout' })
    const url = await cockpit.invoke('endpoints.test', {
      endpoint: { kind: 'http', url: `http://user:${GITHUB_TOKEN}@127.0.0.1:${closedPort}/` },
    })
    expect(url.ok).toBe(false)
    expectNoSecret([closed, hung, url])
  })
})
