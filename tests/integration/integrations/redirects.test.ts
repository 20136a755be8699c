import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createProbeRunner } from '../../../src/main/core/environments/probe-runner'
import type { Endpoint, ProbeConfig } from '../../../src/shared/models/workspace'
import { failure } from '../../support/failure'
import { bindOneCell, oneCell } from '../../support/one-cell'
import { answerJson, redirectTo, startRecordingServer } from '../../support/recording-server'
import type { RecordedRequest, RecordingHandler, RecordingServer } from '../../support/recording-server'

/*
 * Every client of an integration follows redirects by the one rule (core/http/redirect-policy.ts): a
 * credential never reaches another origin, a same-origin hop keeps it, and the hops are bounded. The
 * servers are real loopback servers that record the headers they received.
 */

const TOKEN = 'Sekr1t-token-for-redirect-tests'
const SHA = 'c'.repeat(40)
const sha = SHA

let home: RecordingServer
let foreign: RecordingServer
let homeHandler: RecordingHandler = () => undefined
let foreignHandler: RecordingHandler = () => undefined

beforeAll(async () => {
  home = await startRecordingServer((req, res, sent) => homeHandler(req, res, sent))
  foreign = await startRecordingServer((req, res, sent) => foreignHandler(req, res, sent))
})
afterAll(async () => {
  await home.close()
  await foreign.close()
})
afterEach(() => {
  home.requests.length = 0
  foreign.requests.length = 0
})

/** Every header value a server received, lower-cased names, as one string to search. */
function received(requests: RecordedRequest[]): string {
  return JSON.stringify(requests.map((r) => r.headers))
}

/** What a request carrying the credential shows of it: the token itself, or Jenkins' Basic pair. */
function credentialMark(kind: string): string {
  return kind === 'jenkins' ? Buffer.from(`cockpit:${TOKEN}`).toString('base64') : TOKEN
}

function expectNoSecret(requests: RecordedRequest[]): void {
  const seen = received(requests)
  expect(seen).not.toContain(TOKEN)
  expect(seen).not.toContain(Buffer.from(`cockpit:${TOKEN}`).toString('base64'))
  for (const r of requests) {
    expect(r.headers.authorization).toBeUndefined()
    expect(r.headers['x-rundeck-auth-token']).toBeUndefined()
  }
}

const rundeckExecutions = { executions: [{ id: 1, status: 'succeeded', job: { options: { sha } } }] }
const jenkinsBuild = { number: 3, result: 'SUCCESS', actions: [{ parameters: [{ name: 'sha', value: sha }] }] }

const endpoints = (url: string): Endpoint[] => [
  { kind: 'rundeck', url, apiVersion: 45, credential: 'token' },
  { kind: 'jenkins', url, user: 'cockpit', credential: 'token' },
]

const probes: [string, ProbeConfig, unknown][] = [
  ['rundeck', { kind: 'rundeck', endpoint: 'ep', jobId: 'job-1', shaOption: 'sha' }, rundeckExecutions],
  ['jenkins', { kind: 'jenkins', endpoint: 'ep', job: 'deploy', shaParameter: 'sha' }, jenkinsBuild],
]

async function probeOnce(probe: ProbeConfig, url: string) {
  const runner = createProbeRunner({
    workspace:
      probe.kind === 'http'
        ? oneCell({ ...probe, url: `${url}/version` })
        : oneCell(
            probe,
            endpoints(url).find((e) => e.kind === probe.kind),
          ),
    secret: () => Promise.resolve(TOKEN),
  })
  return runner.probe('web', 'prod')
}

describe('probes follow redirects by the one rule', () => {
  for (const [kind, probe, body] of [
    ...probes,
    ['http', { kind: 'http', url: 'set-below', format: 'json', pointer: '/sha', credential: 'token' }, { sha }] as [
      string,
      ProbeConfig,
      unknown,
    ],
  ]) {
    it(`${kind}: a redirect to another origin reaches it without the credential`, async () => {
      homeHandler = redirectTo((path) => `${foreign.url}${path}`)
      foreignHandler = answerJson(body)
      await probeOnce(probe, home.url)
      expect(home.requests.length).toBe(1)
      expect(foreign.requests.length).toBe(1)
      expectNoSecret(foreign.requests)
    })

    it(`${kind}: a redirect on the same origin keeps the credential and reads the value`, async () => {
      homeHandler = (req, res, sent) =>
        req.url?.startsWith('/moved')
          ? answerJson(body)(req, res, sent)
          : redirectTo((path) => `${home.url}/moved${path}`, 307)(req, res, sent)
      const result = await probeOnce(probe, home.url)
      expect(result.error).toBeUndefined()
      expect(result.raw).toBe(sha)
      expect(home.requests.length).toBe(2)
      expect(received(home.requests.slice(1))).toContain(credentialMark(kind))
    })
  }

  it('stops after a bounded number of hops with bad-response', async () => {
    homeHandler = redirectTo((path) => `${home.url}${path}`)
    const result = await probeOnce(probes[0]?.[1] as ProbeConfig, home.url)
    expect(result.error?.code).toBe('bad-response')
    expect(home.requests.length).toBeLessThanOrEqual(6)
  })
})

describe('deploy providers follow redirects of their reads by the one rule', () => {
  const statusBody = (kind: string): unknown =>
    kind === 'rundeck' ? { id: 7, status: 'running' } : { number: 7, building: true, result: null }

  for (const kind of ['rundeck', 'jenkins']) {
    it(`${kind}: a status read redirected to another origin carries no credential there`, async () => {
      homeHandler = redirectTo((path) => `${foreign.url}${path}`)
      foreignHandler = answerJson(statusBody(kind))
      const endpoint = endpoints(home.url).find((e) => e.kind === kind) as Endpoint
      await failure(
        bindOneCell(endpoint, TOKEN).provider.status({
          provider: kind as 'rundeck',
          id: '7',
          buildNumber: 7,
          url: `${home.url}/job/deploy/7/`,
        }),
      ).catch(() => undefined)
      expect(foreign.requests.length).toBe(1)
      expectNoSecret(foreign.requests)
    })

    it(`${kind}: a status read redirected on the same origin keeps the credential`, async () => {
      homeHandler = (req, res, sent) =>
        req.url?.startsWith('/moved')
          ? answerJson(statusBody(kind))(req, res, sent)
          : redirectTo((path) => `${home.url}/moved${path}`, 307)(req, res, sent)
      const endpoint = endpoints(home.url).find((e) => e.kind === kind) as Endpoint
      const status = await bindOneCell(endpoint, TOKEN).provider.status({
        provider: kind as 'rundeck',
        id: '7',
        buildNumber: 7,
        url: `${home.url}/job/deploy/7/`,
      })
      expect(status.state).toBe('running')
      expect(received(home.requests.slice(1))).toContain(credentialMark(kind))
    })
  }
})
