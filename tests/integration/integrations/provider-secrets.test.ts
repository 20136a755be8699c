import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeployProvider, ProviderDeployRequest } from '../../../src/main/core/deploy/provider'
import { createJenkinsProvider } from '../../../src/main/core/integrations/jenkins/provider'
import { createRundeckProvider } from '../../../src/main/core/integrations/rundeck/provider'
import type { FaultSwitches } from '../../../src/main/simulators/faults'
import { startJenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import type { JenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import { startRundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { AppError } from '../../../src/shared/errors'

const RUNDECK_TOKEN = 'Zq7RundeckSecretToken0001'
const JENKINS_TOKEN = 'Jx9JenkinsSecretToken0002'
const WRONG = 'Wr0ngSecretNeverShown0003'
const JOB = 'c0c0c0c0-0000-4000-8000-00000000000c'
const SHA = 'abcdef1234567'

let rundeck: RundeckSimulator
let jenkins: JenkinsSimulator

beforeAll(async () => {
  rundeck = await startRundeckSimulator({
    tokens: { [RUNDECK_TOKEN]: 'cockpit' },
    jobs: [{ id: JOB, name: 'deploy', project: 'web', durationMs: 50 }],
  })
  jenkins = await startJenkinsSimulator({
    users: [{ name: 'cockpit', token: JENKINS_TOKEN }],
    crumb: 'always',
    jobs: [{ path: 'deploy', parameters: [{ name: 'SHA' }], durationMs: 50 }],
  })
})
afterAll(async () => {
  await rundeck.close()
  await jenkins.close()
})

/** Short only where latency is injected, so a loaded machine does not turn other answers into timeouts. */
function timeoutFor(fault: FaultSwitches): number {
  return fault.latency === undefined ? 10_000 : 100
}

function forbiddenStrings(token: string): string[] {
  return [token, token.slice(0, 5), Buffer.from(`cockpit:${token}`).toString('base64'), encodeURIComponent(token)]
}

async function collect(provider: DeployProvider, request: ProviderDeployRequest): Promise<AppError[]> {
  const errors: AppError[] = []
  const attempts: (() => Promise<unknown>)[] = [
    () => provider.trigger(request),
    () => provider.status({ provider: request.job.provider, id: '999999', url: `${jenkins.url}/job/deploy/` }),
    () =>
      provider.log(
        { provider: request.job.provider, id: '999999', buildNumber: 999999, url: `${jenkins.url}/job/deploy/999999/` },
        undefined,
      ),
    () =>
      provider.abort({
        provider: request.job.provider,
        id: '999999',
        buildNumber: 999999,
        url: `${jenkins.url}/job/deploy/999999/`,
      }),
    () => provider.running(request),
  ]
  for (const attempt of attempts) {
    try {
      await attempt()
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      errors.push(error)
    }
  }
  return errors
}

const faults: FaultSwitches[] = [
  {},
  { forbidden: { count: Infinity } },
  { conflict: { count: Infinity } },
  { serverError: { count: Infinity } },
  { reset: { count: Infinity } },
  { latency: { ms: 1000 } },
]

describe('provider errors never carry a secret', () => {
  it('scans every error of both providers, with right and wrong tokens and every fault', async () => {
    const seen: AppError[] = []
    for (const token of [RUNDECK_TOKEN, WRONG]) {
      for (const fault of token === WRONG ? [{}] : faults) {
        rundeck.faults.clear()
        rundeck.faults.set(fault)
        const p = createRundeckProvider({
          endpoint: { url: rundeck.url, apiVersion: 45 },
          credential: 'rd',
          secret: () => Promise.resolve(token),
          timeoutMs: timeoutFor(fault),
        })
        seen.push(
          ...(await collect(p, {
            service: 'web',
            environment: 'qa',
            sha: SHA,
            job: { provider: 'rundeck', endpoint: 'rd', jobId: JOB, options: { SHA } },
          })),
        )
      }
    }
    for (const token of [JENKINS_TOKEN, WRONG]) {
      for (const fault of token === WRONG ? [{}] : faults) {
        jenkins.faults.clear()
        jenkins.faults.set(fault)
        const p = createJenkinsProvider({
          endpoint: { url: jenkins.url, user: 'cockpit' },
          credential: 'ci',
          secret: () => Promise.resolve(token),
          timeoutMs: timeoutFor(fault),
        })
        seen.push(
          ...(await collect(p, {
            service: 'web',
            environment: 'qa',
            sha: SHA,
            job: { provider: 'jenkins', endpoint: 'ci', job: 'deploy', parameters: { SHA } },
          })),
        )
      }
    }
    rundeck.faults.clear()
    jenkins.faults.clear()
    const codes = new Set(seen.map((e) => e.code))
    for (const code of ['auth-failed', 'forbidden', 'deploy-conflict', 'endpoint-unreachable', 'timeout', 'not-found'])
      expect(codes).toContain(code)
    const texts = seen.map((e) => `${e.message} ${JSON.stringify(e.details ?? null)} ${e.stack ?? ''}`)
    for (const token of [RUNDECK_TOKEN, JENKINS_TOKEN, WRONG]) {
      for (const secret of forbiddenStrings(token)) {
        expect(texts.filter((t) => t.includes(secret))).toEqual([])
      }
    }
  })
})
