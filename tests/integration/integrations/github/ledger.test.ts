import { afterAll, beforeEach, beforeAll, describe, expect, it } from 'vitest'
import { createGitHub } from '../../../../src/main/core/integrations/github/client'
import { memoryLogger } from '../../../../src/main/core/logger'
import { createLedger } from '../../../../src/main/core/integrations/github/ledger'
import type { LedgerReport } from '../../../../src/main/core/integrations/github/ledger'
import { startGitHubSimulator } from '../../../../src/main/simulators/github-simulator'
import type { GitHubSimulator } from '../../../../src/main/simulators/github-simulator'

const TOKEN = 'ghp_ledgerSecret987654321'
const SHA = 'd'.repeat(40)

let sim: GitHubSimulator
let repoCount = 0
let repo = ''

beforeAll(async () => {
  sim = await startGitHubSimulator({ tokens: { [TOKEN]: 'cockpit' } })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.clearFaults()
  repo = `svc${++repoCount}`
  sim.addRepo('octo-org', repo)
})

function ledger(token = TOKEN, attempts = 4) {
  const reports: LedgerReport[] = []
  const waits: number[] = []
  const logger = memoryLogger()
  const gh = createGitHub({ baseUrl: sim.url, token: () => Promise.resolve(token), credential: 'github-main' })
  const l = createLedger({
    github: gh,
    attempts,
    backoffMs: 5,
    maxBackoffMs: 20,
    sleep: (ms) => {
      waits.push(ms)
      return new Promise((r) => setTimeout(r, 1))
    },
    onReport: (r) => reports.push(r),
    logger,
  })
  return { l, reports, waits, logger }
}

const start = {
  owner: 'octo-org',
  sha: SHA,
  environment: 'qa',
  description: 'Promote to qa',
  logUrl: 'http://rundeck/e/1',
}

describe('deploy ledger on GitHub Deployments', () => {
  it('records start and end in order', async () => {
    const { l, reports } = ledger()
    l.start('run-1', { ...start, repo })
    l.end('run-1', 'success', 'http://rundeck/e/1')
    await l.settled()
    const [d] = sim.deployments('octo-org', repo)
    expect(d?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(d?.payload).toMatchObject({ trainyardRun: 'run-1' })
    expect(reports.map((r) => `${r.step}:${r.state}`)).toEqual([
      'start:pending',
      'start:recorded',
      'end:pending',
      'end:recorded',
    ])
    expect(l.state('run-1')).toMatchObject({ state: 'recorded', deploymentId: d?.id })
  })

  it('retries 5xx and rate limits with back-off and does not duplicate a deployment created before a failure', async () => {
    const { l, reports, waits } = ledger()
    sim.fail({ kind: 'status', status: 503, match: /^POST .*\/deployments$/ })
    // The deployment gets created, then its in_progress status fails: the retry must reuse it.
    sim.fail({ kind: 'rate-limit', limit: 'secondary', retryAfterSeconds: 60, match: /statuses$/ })
    l.start('run-2', { ...start, repo })
    l.end('run-2', 'failure')
    await l.settled()
    const deployments = sim.deployments('octo-org', repo)
    expect(deployments).toHaveLength(1)
    expect(deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(waits[0]).toBe(5)
    expect(waits[1]).toBe(20) // retry-after 60 s, capped by maxBackoffMs
    expect(reports.filter((r) => r.state === 'pending' && r.message).map((r) => r.message)).toHaveLength(2)
    expect(l.state('run-2')?.state).toBe('recorded')
  })

  it('gives up after the bounded attempts, never throwing, and reports failed', async () => {
    const { l, reports, logger } = ledger(TOKEN, 3)
    sim.fail({ kind: 'status', status: 500, times: 10 })
    expect(() => l.start('run-3', { ...start, repo })).not.toThrow()
    expect(() => l.end('run-3', 'success')).not.toThrow()
    await l.settled()
    sim.clearFaults()
    expect(sim.deployments('octo-org', repo)).toHaveLength(0)
    const failed = reports.filter((r) => r.state === 'failed')
    expect(failed.map((r) => r.step)).toEqual(['start', 'end'])
    expect(failed[0]?.message).toMatch(/after 3 tries/)
    expect(logger.lines.filter((line) => line.startsWith('warn: GitHub ledger gave up on run run-3'))).toHaveLength(1)
  })

  it('does not retry bad credentials or a missing repository, and names the credential without its value', async () => {
    const { l, reports, waits } = ledger('ghp_wrongSecret111')
    l.start('run-4', { ...start, repo })
    l.start('run-5', { ...start, repo: 'does-not-exist' })
    await l.settled()
    expect(waits).toEqual([])
    expect(l.state('run-4')).toMatchObject({ state: 'failed' })
    expect(l.state('run-4')?.message).toContain('github-main')
    const json = JSON.stringify(reports)
    expect(json).not.toContain('ghp_wrongSecret111')
    expect(json).not.toContain(TOKEN)
    const good = ledger()
    good.l.start('run-5', { ...start, repo: 'does-not-exist' })
    await good.l.settled()
    expect(good.l.state('run-5')).toMatchObject({ state: 'failed' })
    expect(good.l.state('run-5')?.message).toMatch(/404|private/)
  })

  it('finishes, after a restart, a deployment an earlier session recorded', async () => {
    const before = ledger()
    before.l.start('run-7', { ...start, repo })
    await before.l.settled()
    const id = before.l.state('run-7')?.deploymentId
    expect(id).toBeTypeOf('number')
    const after = ledger()
    after.l.adopt('run-7', { owner: 'octo-org', repo, id: id ?? 0 })
    after.l.end('run-7', 'error', 'http://rundeck/e/7')
    await after.l.settled()
    expect(sim.deployments('octo-org', repo)[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'error'])
    expect(after.l.state('run-7')).toMatchObject({ step: 'end', state: 'recorded', deploymentId: id })
  })

  it('survives a connection reset mid-write', async () => {
    const { l } = ledger()
    sim.fail({ kind: 'reset', match: /^POST / })
    l.start('run-6', { ...start, repo })
    await l.settled()
    expect(l.state('run-6')?.state).toBe('recorded')
    expect(sim.deployments('octo-org', repo)).toHaveLength(1)
  })
})
