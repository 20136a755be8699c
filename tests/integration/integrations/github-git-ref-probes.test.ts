import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProbeContext } from '../../../src/main/core/integrations/probe-context'
import { gitRefProbe } from '../../../src/main/core/integrations/git-ref/probe'
import { githubProbe } from '../../../src/main/core/integrations/github/probe'
import { createGitHub } from '../../../src/main/core/integrations/github/client'
import { startGitHubSimulator } from '../../../src/main/simulators/github-simulator'
import type { GitHubSimulator } from '../../../src/main/simulators/github-simulator'
import { AppError } from '../../../src/shared/errors'
import { createRepo } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

const TOKEN = 'ghp_probeSecret_5555'
let sim: GitHubSimulator
let repo: TestRepo
const shas: string[] = []

/** The clone's refs as `git for-each-ref` sees them, annotated tags peeled to their commit. */
function refsOf(r: TestRepo): Map<string, string> {
  const out = r.git('for-each-ref', '--format=%(refname) %(objectname) %(*objectname)')
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', object = '', peeled] = line.split(' ')
        return [name, peeled || object]
      }),
  )
}

beforeAll(async () => {
  sim = await startGitHubSimulator({ tokens: { [TOKEN]: 'cockpit' } })
  sim.addRepo('octo-org', 'web', { private: true })
  const gh = createGitHub({ baseUrl: sim.url, token: () => Promise.resolve(TOKEN) })
  const deploy = async (sha: string, environment: string, end?: 'success' | 'failure') => {
    const ref = await gh.recordDeployStart({ owner: 'octo-org', repo: 'web', sha, environment, description: 'd' })
    if (end) await gh.recordDeployEnd(ref, end)
  }
  await deploy('1'.repeat(40), 'production', 'success')
  await deploy('2'.repeat(40), 'production', 'success')
  await deploy('3'.repeat(40), 'production', 'failure')
  await deploy('4'.repeat(40), 'production')
  await deploy('5'.repeat(40), 'qa', 'success')

  repo = createRepo()
  for (let i = 0; i < 4; i++) shas.push(repo.commit(`change ${i}`, { 'a.txt': String(i) }))
  repo.branch('deployed-to-production', shas[1])
  repo.tag('release_9', { at: shas[0] })
  repo.tag('release_10', { at: shas[2], message: 'annotated release' })
  repo.tag('hotfix_99', { at: shas[3] })
})
afterAll(async () => {
  await sim.close()
  repo.cleanup()
})

function ctx(environment: string, secrets: Record<string, string> = { github: TOKEN }, timeoutMs = 3000): ProbeContext {
  return {
    service: 'web',
    environment,
    secret: (n) => Promise.resolve(secrets[n]),
    endpoints: { gh: { kind: 'github', url: sim.url, credential: 'github' } },
    signal: AbortSignal.timeout(timeoutMs),
    fetch,
    github: { owner: 'octo-org', repo: 'web', endpoint: 'gh' },
    refs: () => Promise.resolve(refsOf(repo)),
  }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(AppError)
  expect(JSON.stringify((e as AppError).toData())).not.toContain(TOKEN)
  return e as AppError
}

describe('GitHub Deployments probe', () => {
  it('takes the newest deployment whose latest status is success', async () => {
    expect(await githubProbe({ kind: 'github', environment: 'production' }, ctx('production'))).toEqual({
      raw: '2'.repeat(40),
    })
    expect(await githubProbe({ kind: 'github', environment: '{environment}' }, ctx('qa'))).toEqual({
      raw: '5'.repeat(40),
    })
  })

  it("uses the workspace's only GitHub endpoint when the service names none", async () => {
    const c = { ...ctx('production'), github: { owner: 'octo-org', repo: 'web' } }
    expect(await githubProbe({ kind: 'github', environment: 'production' }, c)).toEqual({ raw: '2'.repeat(40) })
  })

  it('reports an environment never deployed, a bad token, a hidden repo, rate limits and timeouts', async () => {
    expect((await failure(githubProbe({ kind: 'github', environment: 'staging' }, ctx('staging')))).code).toBe(
      'not-found',
    )
    const bad = await failure(
      githubProbe({ kind: 'github', environment: 'production' }, ctx('production', { github: 'ghp_wrong' })),
    )
    expect(bad.code).toBe('auth-failed')
    expect(bad.message).toContain('"github"')
    expect(
      (await failure(githubProbe({ kind: 'github', environment: 'production' }, ctx('production', {})))).code,
    ).toBe('not-found')
    sim.fail({ kind: 'rate-limit', limit: 'primary' })
    expect((await failure(githubProbe({ kind: 'github', environment: 'production' }, ctx('production')))).code).toBe(
      'endpoint-unreachable',
    )
    sim.latencyMs = 400
    try {
      expect(
        (await failure(githubProbe({ kind: 'github', environment: 'production' }, ctx('production', undefined, 100))))
          .code,
      ).toBe('timeout')
    } finally {
      sim.latencyMs = 0
    }
  })
})

describe('git-ref probe', () => {
  it('reads a branch, and the highest tag matching a glob in version order (annotated tags peeled)', async () => {
    expect(await gitRefProbe({ kind: 'git-ref', ref: 'deployed-to-{environment}' }, ctx('production'))).toEqual({
      raw: shas[1],
    })
    expect(await gitRefProbe({ kind: 'git-ref', ref: 'release_*' }, ctx('production'))).toEqual({ raw: shas[2] })
    expect(await gitRefProbe({ kind: 'git-ref', ref: 'release_9' }, ctx('production'))).toEqual({ raw: shas[0] })
  })

  it('reports a missing ref with a fetch hint', async () => {
    const e = await failure(gitRefProbe({ kind: 'git-ref', ref: 'deployed-to-mars' }, ctx('mars')))
    expect(e.code).toBe('not-found')
    expect(e.message).toMatch(/fetch/)
    expect((await failure(gitRefProbe({ kind: 'git-ref', ref: 'v*' }, ctx('x')))).code).toBe('not-found')
  })
})
