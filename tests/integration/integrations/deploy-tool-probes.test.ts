import { createServer } from 'node:http'
import type { AddressInfo, Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProbeContext } from '../../../src/main/core/integrations/probe-context'
import { jenkinsProbe } from '../../../src/main/core/integrations/jenkins/probe'
import { rundeckProbe } from '../../../src/main/core/integrations/rundeck/probe'
import { startJenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import type { JenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import { startRundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { AppError } from '../../../src/shared/errors'
import type { Endpoint } from '../../../src/shared/models/workspace'

const RUNDECK_TOKEN = 'rdk-Secret-Token-77'
const JENKINS_TOKEN = 'jenkins-Secret-Token-88'
const JOB = '7400ff98-31c4-4834-ba3d-aee9646e867f'
const T0 = Date.parse('2024-05-01T10:00:00Z')
const sha = (c: string): string => c.repeat(40)

let rundeck: RundeckSimulator
let jenkins: JenkinsSimulator
let legacy: Server
let legacyUrl = ''

beforeAll(async () => {
  rundeck = await startRundeckSimulator({
    jobs: [
      { id: JOB, name: 'deploy', project: 'web', options: [{ name: 'SHA' }, { name: 'ENV' }] },
      { id: 'empty-job', name: 'never-run', project: 'web' },
    ],
    tokens: { [RUNDECK_TOKEN]: 'cockpit' },
    clock: () => T0 + 3_600_000,
    history: [
      { jobId: JOB, options: { SHA: sha('1'), ENV: 'qa' }, status: 'succeeded', startedAt: T0 },
      { jobId: JOB, options: { SHA: sha('2'), ENV: 'production' }, status: 'succeeded', startedAt: T0 + 60_000 },
      { jobId: JOB, options: { SHA: sha('3'), ENV: 'qa' }, status: 'succeeded', startedAt: T0 + 120_000 },
      { jobId: JOB, options: { SHA: sha('4'), ENV: 'qa' }, status: 'failed', startedAt: T0 + 180_000 },
    ],
  })
  jenkins = await startJenkinsSimulator({
    jobs: [
      { path: 'apps/deploy web', parameters: [{ name: 'SHA' }, { name: 'ENV' }], builtRevisionParameter: 'SHA' },
      { path: 'deploy-api', parameters: [{ name: 'REF' }], builtRevisionParameter: 'REF' },
      { path: 'never-built', parameters: [{ name: 'SHA' }] },
    ],
    users: [{ name: 'cockpit', token: JENKINS_TOKEN }],
    clock: () => T0 + 3_600_000,
    history: [
      { job: 'apps/deploy web', parameters: { SHA: sha('5'), ENV: 'staging' }, result: 'SUCCESS', startedAt: T0 },
      {
        job: 'apps/deploy web',
        parameters: { SHA: sha('6'), ENV: 'production' },
        result: 'UNSTABLE',
        startedAt: T0 + 60_000,
      },
      {
        job: 'apps/deploy web',
        parameters: { SHA: sha('7'), ENV: 'staging' },
        result: 'SUCCESS',
        startedAt: T0 + 120_000,
      },
      {
        job: 'apps/deploy web',
        parameters: { SHA: sha('8'), ENV: 'staging' },
        result: 'FAILURE',
        startedAt: T0 + 180_000,
      },
      { job: 'deploy-api', parameters: { REF: sha('9') }, result: 'SUCCESS', startedAt: T0 },
      { job: 'deploy-api', parameters: { REF: sha('a') }, result: 'FAILURE', startedAt: T0 + 60_000 },
    ],
  })
  // Executions without `job.options` (an older server, or a proxy that trims them): only `argstring`.
  legacy = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const executions = [
      {
        id: 9,
        status: 'succeeded',
        'date-ended': { unixtime: 2 },
        job: { id: JOB },
        argstring: '-ENV "eu west" -SHA abcdef1',
      },
      {
        id: 8,
        status: 'succeeded',
        'date-ended': { unixtime: 1 },
        job: { id: JOB },
        argstring: '-ENV qa -SHA 1234567',
      },
    ]
    res.end(JSON.stringify({ paging: { count: 2, total: 2, offset: 0, max: 50 }, executions }))
  })
  await new Promise<void>((r) => legacy.listen(0, '127.0.0.1', r))
  legacyUrl = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}`
})
afterAll(async () => {
  await rundeck.close()
  await jenkins.close()
  await new Promise((r) => legacy.close(r))
})

function ctx(
  secrets: Record<string, string> = { rundeck: RUNDECK_TOKEN, jenkins: JENKINS_TOKEN },
  timeoutMs = 3000,
): ProbeContext {
  const endpoints: Record<string, Endpoint> = {
    rd: { kind: 'rundeck', url: rundeck.url, apiVersion: 45, credential: 'rundeck' },
    legacy: { kind: 'rundeck', url: legacyUrl, apiVersion: 41, credential: 'rundeck' },
    jk: { kind: 'jenkins', url: jenkins.url, user: 'cockpit', credential: 'jenkins' },
  }
  return {
    service: 'web',
    environment: 'qa',
    secret: (n) => Promise.resolve(secrets[n]),
    endpoints,
    signal: AbortSignal.timeout(timeoutMs),
    fetch,
  }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(AppError)
  const json = JSON.stringify((e as AppError).toData())
  expect(json).not.toContain(RUNDECK_TOKEN)
  expect(json).not.toContain(JENKINS_TOKEN)
  return e as AppError
}

describe('Rundeck probe', () => {
  const base = { kind: 'rundeck', endpoint: 'rd', jobId: JOB, shaOption: 'SHA' } as const

  it('takes the newest succeeded execution, filtered by the environment option', async () => {
    expect(await rundeckProbe(base, ctx())).toEqual({ raw: sha('3') })
    expect(await rundeckProbe({ ...base, environmentOption: { name: 'ENV', value: 'production' } }, ctx())).toEqual({
      raw: sha('2'),
    })
    expect(await rundeckProbe({ ...base, environmentOption: { name: 'ENV', value: '{environment}' } }, ctx())).toEqual({
      raw: sha('3'),
    })
    const last = rundeck.exchanges.at(-1)
    expect(JSON.stringify(last)).toMatch(/status=succeeded/)
  })

  it('falls back to the argstring when job.options is absent', async () => {
    const probe = {
      kind: 'rundeck',
      endpoint: 'legacy',
      jobId: JOB,
      shaOption: 'SHA',
      environmentOption: { name: 'ENV', value: 'eu west' },
    } as const
    expect(await rundeckProbe(probe, ctx())).toEqual({ raw: 'abcdef1' })
  })

  it('reports no deploy yet, a wrong token, a missing job and a 500', async () => {
    expect(
      (await failure(rundeckProbe({ ...base, environmentOption: { name: 'ENV', value: 'staging' } }, ctx()))).code,
    ).toBe('not-found')
    expect((await failure(rundeckProbe({ ...base, jobId: 'empty-job' }, ctx()))).code).toBe('not-found')
    const denied = await failure(rundeckProbe(base, ctx({ rundeck: 'not-the-token', jenkins: JENKINS_TOKEN })))
    expect(denied.code).toBe('auth-failed')
    expect(denied.message).toContain('"rundeck"')
    expect((await failure(rundeckProbe({ ...base, jobId: 'no-such-job' }, ctx()))).code).toBe('not-found')
    rundeck.faults.set({ serverError: { count: 1 } })
    expect((await failure(rundeckProbe(base, ctx()))).code).toBe('endpoint-unreachable')
    expect((await failure(rundeckProbe({ ...base, endpoint: 'jk' }, ctx()))).code).toBe('invalid-workspace')
  })

  it('times out', async () => {
    rundeck.faults.set({ latency: { ms: 500 } })
    try {
      expect((await failure(rundeckProbe(base, ctx(undefined, 100)))).code).toBe('timeout')
    } finally {
      rundeck.faults.clear()
    }
  })
})

describe('Jenkins probe', () => {
  const base = { kind: 'jenkins', endpoint: 'jk', job: 'apps/deploy web', shaParameter: 'SHA' } as const

  it('reads lastSuccessfulBuild (UNSTABLE counts) through folders', async () => {
    expect(await jenkinsProbe(base, ctx())).toEqual({ raw: sha('7') })
    expect(await jenkinsProbe({ ...base, job: 'deploy-api', shaParameter: 'REF' }, ctx())).toEqual({ raw: sha('9') })
  })

  it('filters builds by the environment parameter', async () => {
    expect(await jenkinsProbe({ ...base, environmentParameter: { name: 'ENV', value: 'production' } }, ctx())).toEqual({
      raw: sha('6'),
    })
    expect(await jenkinsProbe({ ...base, environmentParameter: { name: 'ENV', value: 'staging' } }, ctx())).toEqual({
      raw: sha('7'),
    })
    const none = await failure(jenkinsProbe({ ...base, environmentParameter: { name: 'ENV', value: 'qa' } }, ctx()))
    expect(none.code).toBe('not-found')
  })

  it('uses the built revision when the parameter is absent', async () => {
    expect(await jenkinsProbe({ ...base, job: 'deploy-api', shaParameter: 'NOPE' }, ctx())).toEqual({ raw: sha('9') })
  })

  it('reports 401, a job with no successful build, 500 and a timeout', async () => {
    const denied = await failure(jenkinsProbe(base, ctx({ rundeck: RUNDECK_TOKEN, jenkins: 'wrong' })))
    expect(denied.code).toBe('auth-failed')
    expect(denied.message).toContain('"jenkins"')
    expect((await failure(jenkinsProbe({ ...base, job: 'never-built' }, ctx()))).code).toBe('not-found')
    jenkins.faults.set({ serverError: { count: 1 } })
    expect((await failure(jenkinsProbe(base, ctx()))).code).toBe('endpoint-unreachable')
    jenkins.faults.set({ forbidden: { count: 1 } })
    expect((await failure(jenkinsProbe(base, ctx()))).code).toBe('auth-failed')
    jenkins.faults.set({ latency: { ms: 500 } })
    try {
      expect((await failure(jenkinsProbe(base, ctx(undefined, 100)))).code).toBe('timeout')
    } finally {
      jenkins.faults.clear()
    }
  })
})
