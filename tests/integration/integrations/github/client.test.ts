import { Octokit } from '@octokit/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitHub } from '../../../../src/main/core/integrations/github/client'
import { startGitHubSimulator } from '../../../../src/main/simulators/github-simulator'
import type { GitHubSimulator } from '../../../../src/main/simulators/github-simulator'
import { AppError } from '../../../../src/shared/errors'

const TOKEN = 'ghp_secretTokenValue123456'
const SHA_A = 'a'.repeat(40)
const SHA_B = 'b'.repeat(40)
const SHA_C = 'c'.repeat(40)
const MERGE = '1'.repeat(40)

let sim: GitHubSimulator

beforeAll(async () => {
  sim = await startGitHubSimulator({ tokens: { [TOKEN]: 'qa-bot' }, clock: () => new Date('2024-05-01T10:00:00Z') })
  sim.addRepo('octo-org', 'web', { refs: { main: SHA_C } })
  sim.addRepo('octo-org', 'secret', { private: true })
  sim.addRepo('octo-org', 'vault', { private: true, collaborators: ['someone-else'] })
  sim.addPull('octo-org', 'web', {
    number: 12,
    title: 'Fix login',
    headSha: SHA_A,
    mergeCommitSha: MERGE,
    commits: [SHA_A, MERGE],
  })
  sim.addPull('octo-org', 'web', { number: 13, title: 'Open work', headSha: SHA_B, commits: [SHA_A] })
})
afterAll(() => sim.close())

const client = (token: string | undefined = TOKEN) =>
  createGitHub({
    baseUrl: sim.url,
    token: () => Promise.resolve(token),
    credential: 'github-main',
    clock: () => new Date('2024-05-01T10:00:00Z'),
  })

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const error: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('GitHub simulator through raw Octokit', () => {
  it('applies the createDeployment defaults and lists newest first with link pagination', async () => {
    const octokit = new Octokit({ baseUrl: sim.url, auth: TOKEN })
    const created = await octokit.rest.repos.createDeployment({ owner: 'octo-org', repo: 'web', ref: 'main' })
    expect(created.status).toBe(201)
    expect(created.headers['x-ratelimit-resource']).toBe('core')
    expect(Number(created.headers['x-ratelimit-reset'])).toBeLessThan(1e11)
    if (!('id' in created.data)) throw new Error('expected a deployment')
    expect(created.data).toMatchObject({
      task: 'deploy',
      environment: 'production',
      sha: SHA_C,
      ref: 'main',
      production_environment: true,
    })
    for (let i = 0; i < 4; i++) {
      await octokit.rest.repos.createDeployment({
        owner: 'octo-org',
        repo: 'web',
        ref: SHA_A,
        environment: 'paging',
        required_contexts: [],
      })
    }
    const page1 = await octokit.rest.repos.listDeployments({
      owner: 'octo-org',
      repo: 'web',
      environment: 'paging',
      per_page: 3,
    })
    expect(page1.data).toHaveLength(3)
    expect(page1.headers.link).toMatch(/rel="next".*rel="last"/)
    expect(page1.headers.link).not.toMatch(/rel="prev"/)
    const all = await octokit.paginate(octokit.rest.repos.listDeployments, {
      owner: 'octo-org',
      repo: 'web',
      environment: 'paging',
      per_page: 3,
    })
    expect(all.map((d) => d.id)).toEqual([...all.map((d) => d.id)].sort((a, b) => b - a))
    expect(all).toHaveLength(4)
  })

  it('answers 202 for an auto-merge, 409 for failing checks unless required_contexts is empty, 422 for an unknown ref', async () => {
    const octokit = new Octokit({ baseUrl: sim.url, auth: TOKEN })
    const repo = sim.addRepo('octo-org', 'merging', { refs: { main: SHA_C, topic: SHA_B } })
    repo.behindDefault.add('topic')
    repo.failingChecks.add(SHA_B)
    const merged = await octokit.rest.repos.createDeployment({ owner: 'octo-org', repo: 'merging', ref: 'topic' })
    expect(merged.status).toBe(202)
    await expect(
      octokit.rest.repos.createDeployment({ owner: 'octo-org', repo: 'merging', ref: 'topic' }),
    ).rejects.toMatchObject({ status: 409 })
    const forced = await octokit.rest.repos.createDeployment({
      owner: 'octo-org',
      repo: 'merging',
      ref: 'topic',
      required_contexts: [],
    })
    expect(forced.status).toBe(201)
    await expect(
      octokit.rest.repos.createDeployment({ owner: 'octo-org', repo: 'merging', ref: 'nope' }),
    ).rejects.toMatchObject({ status: 422 })
  })

  it('runs out of its primary budget with 403 and remaining 0, and reports it on /rate_limit for free', async () => {
    const small = await startGitHubSimulator({ tokens: { [TOKEN]: 'qa-bot' }, rateLimit: 2 })
    try {
      small.addRepo('o', 'r')
      const octokit = new Octokit({ baseUrl: small.url, auth: TOKEN })
      await octokit.rest.repos.get({ owner: 'o', repo: 'r' })
      const second = await octokit.rest.repos.get({ owner: 'o', repo: 'r' })
      expect(second.headers['x-ratelimit-remaining']).toBe('0')
      await expect(octokit.rest.repos.get({ owner: 'o', repo: 'r' })).rejects.toMatchObject({ status: 403 })
      const status = await octokit.rest.rateLimit.get()
      expect(status.data.resources.core).toMatchObject({ limit: 2, remaining: 0 })
      const again = await octokit.rest.rateLimit.get()
      expect(again.data.resources.core.used).toBe(status.data.resources.core.used)
    } finally {
      await small.close()
    }
  })

  it('accepts Bearer, answers 401 Bad credentials and hides private repos from anonymous callers', async () => {
    const bearer = await fetch(`${sim.url}/repos/octo-org/secret`, {
      headers: { authorization: `Bearer ${TOKEN}`, 'user-agent': 't' },
    })
    expect(bearer.status).toBe(200)
    const bad = await fetch(`${sim.url}/repos/octo-org/web`, {
      headers: { authorization: 'token nope', 'user-agent': 't' },
    })
    expect(bad.status).toBe(401)
    expect(((await bad.json()) as { message: string }).message).toBe('Bad credentials')
    const anon = await fetch(`${sim.url}/repos/octo-org/secret`, { headers: { 'user-agent': 't' } })
    expect(anon.status).toBe(404)
    const outsider = await fetch(`${sim.url}/repos/octo-org/vault`, {
      headers: { authorization: `token ${TOKEN}`, 'user-agent': 't' },
    })
    expect(outsider.status).toBe(404)
  })
})

describe('createGitHub', () => {
  it('reads a pull request and the pull requests of a commit', async () => {
    const pr = await client().pullRequest('octo-org', 'web', 12)
    expect(pr).toMatchObject({ number: 12, title: 'Fix login', mergeSha: MERGE, headSha: SHA_A, merged: true })
    const open = await client().pullRequest('octo-org', 'web', 13)
    expect(open.mergeSha).toBeUndefined()
    const pulls = await client().pullsForCommit('octo-org', 'web', SHA_A)
    expect(pulls.map((p) => p.number)).toEqual([13, 12])
  })

  it('records a deploy of an exact SHA with auto_merge off and no required contexts', async () => {
    const gh = client()
    const ref = await gh.recordDeployStart({
      owner: 'octo-org',
      repo: 'web',
      sha: SHA_B,
      environment: 'staging',
      description: 'QA promotes',
      logUrl: 'http://log/1',
    })
    await gh.recordDeployEnd(ref, 'success', 'http://log/1')
    const posted = sim.requests
      .filter((r) => r.method === 'POST' && r.path === '/repos/octo-org/web/deployments')
      .at(-1)
    expect(posted?.body).toMatchObject({
      ref: SHA_B,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    })
    const d = sim.deployments('octo-org', 'web').find((x) => x.id === ref.id)
    expect(d?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(d?.statuses[1]?.logUrl).toBe('http://log/1')
  })

  it('finds the live deployment: newest whose latest status is success, skipping later failures', async () => {
    const gh = client()
    const first = await gh.recordDeployStart({
      owner: 'octo-org',
      repo: 'web',
      sha: SHA_A,
      environment: 'production',
      description: 'x',
    })
    await gh.recordDeployEnd(first, 'success')
    const second = await gh.recordDeployStart({
      owner: 'octo-org',
      repo: 'web',
      sha: SHA_B,
      environment: 'production',
      description: 'y',
    })
    await gh.recordDeployEnd(second, 'success')
    const third = await gh.recordDeployStart({
      owner: 'octo-org',
      repo: 'web',
      sha: SHA_C,
      environment: 'production',
      description: 'z',
    })
    await gh.recordDeployEnd(third, 'failure')
    await gh.recordDeployStart({
      owner: 'octo-org',
      repo: 'web',
      sha: SHA_C,
      environment: 'production',
      description: 'running',
    })
    const live = await gh.liveDeployment('octo-org', 'web', 'production')
    expect(live).toMatchObject({ id: second.id, sha: SHA_B })
    expect(await gh.liveDeployment('octo-org', 'web', 'nowhere')).toBeUndefined()
  })

  it('marks earlier successful deployments inactive, except in production', async () => {
    const gh = client()
    sim.addRepo('octo-org', 'auto')
    const deploy = async (environment: string) => {
      const ref = await gh.recordDeployStart({
        owner: 'octo-org',
        repo: 'auto',
        sha: SHA_A,
        environment,
        description: 'auto',
      })
      await gh.recordDeployEnd(ref, 'success')
      return ref.id
    }
    const olderQa = await deploy('qa-auto')
    await deploy('qa-auto')
    const olderProd = await deploy('production')
    await deploy('production')
    const states = (id: number) =>
      sim
        .deployments('octo-org', 'auto')
        .find((d) => d.id === id)
        ?.statuses.map((s) => s.state)
    expect(states(olderQa)).toEqual(['in_progress', 'success', 'inactive'])
    expect(states(olderProd)).toEqual(['in_progress', 'success'])
  })

  it('translates 401, 404, rate limits and 5xx into AppErrors without the token', async () => {
    const unauthorized = await rejection(client('wrong-token-value').pullRequest('octo-org', 'web', 12))
    expect(unauthorized.code).toBe('auth-failed')
    expect(unauthorized.message).toContain('github-main')
    const missing = await rejection(client().pullRequest('octo-org', 'nope', 1))
    expect(missing.code).toBe('not-found')
    expect(missing.message).toMatch(/private/)
    sim.fail({ kind: 'rate-limit', limit: 'primary', status: 429 })
    const limited = await rejection(client().pullRequest('octo-org', 'web', 12))
    expect(limited.code).toBe('endpoint-unreachable')
    expect(limited.message).toMatch(/rate limit.*retry after \d{4}-/)
    sim.fail({ kind: 'rate-limit', limit: 'secondary', retryAfterSeconds: 30 })
    const secondary = await rejection(client().pullRequest('octo-org', 'web', 12))
    expect((secondary.details as { retryAt: string }).retryAt).toBe('2024-05-01T10:00:30.000Z')
    sim.fail({ kind: 'status', status: 502 })
    expect((await rejection(client().pullRequest('octo-org', 'web', 12))).code).toBe('endpoint-unreachable')
    sim.fail({ kind: 'reset' })
    expect((await rejection(client().pullRequest('octo-org', 'web', 12))).code).toBe('endpoint-unreachable')
    for (const e of [unauthorized, missing, limited, secondary]) expect(JSON.stringify(e.toData())).not.toContain(TOKEN)
  })

  it('turns a slow answer into a timeout', async () => {
    sim.latencyMs = 300
    try {
      const slow = await rejection(client().pullRequest('octo-org', 'web', 12, { signal: AbortSignal.timeout(50) }))
      expect(slow.code).toBe('timeout')
    } finally {
      sim.latencyMs = 0
    }
  })
})
