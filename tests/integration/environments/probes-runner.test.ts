import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProbeRunner } from '../../../src/main/core/environments/probe-runner'
import type { ProbeRunnerOptions } from '../../../src/main/core/environments/probe-runner'
import { startVersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { ProbeResult } from '../../../src/shared/models/environments'
import type { Environment, ProbeConfig, Service } from '../../../src/shared/models/workspace'
import { createRepo, removeDir, tmpDir } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

const SECRET = 'version-Bearer-Secret-31337'
const SERVICES = ['web', 'api', 'worker']
const ENVIRONMENTS = ['qa', 'staging', 'production']

let server: VersionEndpoint
let repo: TestRepo
let dir: string
let commits: string[] = []

beforeAll(async () => {
  server = await startVersionEndpoint({ token: SECRET })
  repo = createRepo()
  commits = Array.from({ length: 9 }, (_, i) => repo.commit(`change ${i}`, { 'f.txt': String(i) }))
  dir = tmpDir('trainyard-probes-')
})
afterAll(async () => {
  await server.close()
  repo.cleanup()
  removeDir(dir)
})

function seedAll(): void {
  SERVICES.forEach((s, i) => ENVIRONMENTS.forEach((e, j) => server.set(s, e, commits[i * 3 + j] ?? '')))
  for (const s of SERVICES) for (const e of ENVIRONMENTS) server.fault(s, e, undefined)
}

function workspace(
  opts: { concurrency?: number; timeoutMs?: number; services?: Service[] } = {},
): ProbeRunnerOptions['workspace'] {
  const probe: ProbeConfig = {
    kind: 'http',
    url: `${server.url}/{service}/{environment}/version.json`,
    format: 'json',
    pointer: '/git/commit/id',
    credential: 'version',
  }
  const environments: Environment[] = ENVIRONMENTS.map((name) => ({ name, probe, requirePreviousSuccess: false }))
  const services: Service[] =
    opts.services ??
    SERVICES.map((name) => ({
      name,
      repo: { url: `https://git.example/${name}` },
      defaultBranch: 'main',
      environments: {},
    }))
  return {
    services,
    environments,
    endpoints: {},
    settings: {
      fetchIntervalMinutes: 0,
      probeTimeoutMs: opts.timeoutMs ?? 3000,
      probeConcurrency: opts.concurrency ?? 4,
    },
  }
}

/** The clone as the oracle: every commit SHA reachable from a ref, filtered by prefix. */
function resolveSha(_service: string, prefix: string): string[] {
  return repo
    .git('rev-list', '--all')
    .split('\n')
    .filter((sha) => sha.startsWith(prefix))
}

function runner(extra: Partial<ProbeRunnerOptions> = {}, ws = workspace()) {
  const seen: ProbeResult[] = []
  const r = createProbeRunner({
    workspace: ws,
    secret: (n) => Promise.resolve(n === 'version' ? SECRET : undefined),
    resolveSha,
    onResult: (x) => seen.push(x),
    ...extra,
  })
  return { r, seen }
}

const cell = (results: ProbeResult[], s: string, e: string): ProbeResult | undefined =>
  results.find((x) => x.service === s && x.environment === e)

describe('probe runner', () => {
  it('probes every cell and resolves short SHAs to full ones through the clone', async () => {
    seedAll()
    const { r, seen } = runner()
    const results = await r.probeAll()
    expect(results).toHaveLength(9)
    expect(seen).toHaveLength(9)
    SERVICES.forEach((s, i) =>
      ENVIRONMENTS.forEach((e, j) => {
        expect(cell(results, s, e)).toMatchObject({
          sha: commits[i * 3 + j],
          raw: commits[i * 3 + j]?.slice(0, 7),
          cached: false,
        })
      }),
    )
  })

  it('isolates each failure in its cell: timeout, 500, 403, malformed, 404, not in clone, ambiguous', async () => {
    seedAll()
    server.fault('web', 'staging', { kind: 'hang' })
    server.fault('web', 'production', { kind: 'status', status: 500 })
    server.fault('api', 'qa', { kind: 'status', status: 403 })
    server.fault('api', 'staging', { kind: 'malformed' })
    server.unset('api', 'production')
    server.set('worker', 'qa', 'f00dfeed'.repeat(5))
    server.set('worker', 'staging', 'abcdef0'.padEnd(40, '1'))
    const ambiguous = (s: string, p: string): string[] =>
      p === 'abcdef0' ? ['abcdef0'.padEnd(40, '1'), 'abcdef0'.padEnd(40, '2')] : resolveSha(s, p)
    const { r, seen } = runner({ resolveSha: ambiguous }, workspace({ concurrency: 2, timeoutMs: 1500 }))
    const results = await r.probeAll()
    const code = (s: string, e: string): string | undefined => cell(results, s, e)?.error?.code
    expect(code('web', 'staging')).toBe('timeout')
    expect(code('web', 'production')).toBe('endpoint-unreachable')
    expect(code('api', 'qa')).toBe('auth-failed')
    expect(cell(results, 'api', 'qa')?.error?.message).toContain('"version"')
    expect(code('api', 'staging')).toBe('bad-response')
    expect(code('api', 'production')).toBe('not-found')
    expect(code('worker', 'qa')).toBe('sha-not-in-clone')
    expect(cell(results, 'worker', 'qa')?.error?.message).toMatch(/fetch/)
    expect(code('worker', 'staging')).toBe('ambiguous-sha')
    expect(cell(results, 'worker', 'staging')?.raw).toBe('abcdef0')
    expect(cell(results, 'web', 'qa')?.sha).toBe(commits[0])
    expect(cell(results, 'worker', 'production')?.sha).toBe(commits[8])
    // The hung cell held one slot for its whole timeout while the other slot served every other cell.
    expect(seen.at(-1)).toMatchObject({ service: 'web', environment: 'staging' })
    expect(JSON.stringify(results)).not.toContain(SECRET)
  })

  it('never has more requests in flight than probeConcurrency', async () => {
    // A server of its own, so no request parked by another test counts as in flight.
    const own = await startVersionEndpoint({ token: SECRET })
    try {
      SERVICES.forEach((s, i) =>
        ENVIRONMENTS.forEach((e, j) => {
          own.set(s, e, commits[i * 3 + j] ?? '')
          own.fault(s, e, { kind: 'latency', ms: 60 })
        }),
      )
      const ws = workspace({ concurrency: 3 })
      const probe: ProbeConfig = {
        kind: 'http',
        url: `${own.url}/{service}/{environment}/version.json`,
        format: 'json',
        pointer: '/sha',
        credential: 'version',
      }
      const { r } = runner({}, { ...ws, environments: ws.environments.map((e) => ({ ...e, probe })) })
      const results = await r.probeAll()
      expect(results.every((x) => x.sha)).toBe(true)
      expect(own.stats.requests).toBe(9)
      expect(own.stats.maxInFlight).toBe(3)
    } finally {
      await own.close()
    }
  })

  it('caches the last good value with its asOf and answers offline from the cache file', async () => {
    seedAll()
    const cacheFile = join(dir, 'cache', 'probes.json')
    let now = new Date('2024-05-01T10:00:00Z')
    const first = runner({ cacheFile, clock: () => now }).r
    const fresh = await first.probeAll({ services: ['web'] })
    expect(fresh.map((x) => x.asOf)).toEqual(Array(3).fill('2024-05-01T10:00:00.000Z'))

    now = new Date('2024-05-01T11:00:00Z')
    server.fault('web', 'qa', { kind: 'status', status: 503 })
    server.fault('web', 'staging', { kind: 'status', status: 401 })
    const again = await first.probeAll({ services: ['web'] })
    expect(cell(again, 'web', 'qa')).toMatchObject({
      sha: commits[0],
      asOf: '2024-05-01T10:00:00.000Z',
      cached: true,
      error: { code: 'endpoint-unreachable' },
    })
    // A refused credential is not "offline": the old value is not passed off as current.
    expect(cell(again, 'web', 'staging')).toMatchObject({
      cached: false,
      asOf: '2024-05-01T11:00:00.000Z',
      error: { code: 'auth-failed' },
    })
    expect(cell(again, 'web', 'staging')?.sha).toBeUndefined()
    expect(cell(again, 'web', 'production')).toMatchObject({
      sha: commits[2],
      asOf: '2024-05-01T11:00:00.000Z',
      cached: false,
    })

    const restarted = runner({ cacheFile }).r
    const offline = await restarted.cached()
    expect(offline).toHaveLength(3)
    expect(cell(offline, 'web', 'production')).toMatchObject({
      sha: commits[2],
      asOf: '2024-05-01T11:00:00.000Z',
      cached: true,
    })
    expect(readFileSync(cacheFile, 'utf8')).not.toContain(SECRET)
  })

  it('honours per-service overrides and skips, probes one cell, and cancels', async () => {
    seedAll()
    const services: Service[] = [
      {
        name: 'web',
        repo: { url: 'https://git.example/web' },
        defaultBranch: 'main',
        environments: {
          qa: {
            probe: {
              kind: 'http',
              url: `${server.url}/web/qa/version`,
              format: 'text',
              pattern: 'revision: (\\w+)',
              credential: 'version',
            },
          },
          staging: { skip: true },
          production: { probe: { kind: 'none' } },
        },
      },
    ]
    const { r } = runner({}, workspace({ services }))
    const results = await r.probeAll()
    expect(results.map((x) => `${x.environment}:${x.sha}`)).toEqual([`qa:${commits[0]}`])
    expect((await r.probe('web', 'qa')).sha).toBe(commits[0])
    await expect(r.probe('web', 'staging')).rejects.toMatchObject({ code: 'not-found' })
    server.fault('web', 'qa', { kind: 'hang' })
    const controller = new AbortController()
    const pending = r.probeAll({ signal: controller.signal })
    controller.abort()
    expect((await pending)[0]?.error?.code).toBe('cancelled')
  })
})
