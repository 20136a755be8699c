import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProbeRunner } from '../../../src/main/core/environments/probe-runner'
import { createGitHub } from '../../../src/main/core/integrations/github/client'
import { startGitHubSimulator } from '../../../src/main/simulators/github-simulator'
import type { GitHubSimulator } from '../../../src/main/simulators/github-simulator'
import { startJenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import type { JenkinsSimulator } from '../../../src/main/simulators/jenkins-sim'
import { startRundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { Environment, Workspace } from '../../../src/shared/models/workspace'
import { removeDir, tmpDir } from '../../support/git-repo'

/** The real secrets; every probe kind is run with them and with wrong ones, and no output may contain any. */
const SECRETS = {
  version: 'sEcret-version-0a1b2c',
  rundeck: 'sEcret-rundeck-3d4e5f',
  jenkins: 'sEcret-jenkins-6a7b8c',
  github: 'ghp_sEcretGithub9d0e1f',
}
const WRONG = {
  version: 'wRong-version-zzzz1',
  rundeck: 'wRong-rundeck-zzzz2',
  jenkins: 'wRong-jenkins-zzzz3',
  github: 'ghp_wRongGithubzzzz4',
}
const JOB = 'a1b2c3d4-0000-4000-8000-000000000001'
const sha = (c: string): string => c.repeat(40)

let version: VersionEndpoint
let rundeck: RundeckSimulator
let jenkins: JenkinsSimulator
let github: GitHubSimulator
let dir: string

beforeAll(async () => {
  version = await startVersionEndpoint({ token: SECRETS.version })
  version.set('web', 'dev', sha('1'))
  rundeck = await startRundeckSimulator({
    jobs: [{ id: JOB, name: 'deploy', project: 'web', options: [{ name: 'SHA' }, { name: 'ENV' }] }],
    tokens: { [SECRETS.rundeck]: 'cockpit' },
    history: [
      {
        jobId: JOB,
        options: { SHA: sha('2'), ENV: 'qa' },
        status: 'succeeded',
        startedAt: Date.parse('2024-05-01T10:00:00Z'),
      },
    ],
  })
  jenkins = await startJenkinsSimulator({
    jobs: [{ path: 'deploy-web', parameters: [{ name: 'SHA' }] }],
    users: [{ name: 'cockpit', token: SECRETS.jenkins }],
    history: [
      {
        job: 'deploy-web',
        parameters: { SHA: sha('3') },
        result: 'SUCCESS',
        startedAt: Date.parse('2024-05-01T10:00:00Z'),
      },
    ],
  })
  github = await startGitHubSimulator({ tokens: { [SECRETS.github]: 'cockpit' } })
  github.addRepo('octo-org', 'web', { private: true })
  const gh = createGitHub({ baseUrl: github.url, token: () => Promise.resolve(SECRETS.github) })
  const ref = await gh.recordDeployStart({
    owner: 'octo-org',
    repo: 'web',
    sha: sha('4'),
    environment: 'production',
    description: 'x',
  })
  await gh.recordDeployEnd(ref, 'success')
  dir = tmpDir('trainyard-secrets-')
})
afterAll(async () => {
  await Promise.all([version.close(), rundeck.close(), jenkins.close(), github.close()])
  removeDir(dir)
})

function workspace(): Pick<Workspace, 'services' | 'environments' | 'endpoints' | 'settings'> {
  const env = (name: string, probe: Environment['probe']): Environment => ({
    name,
    probe,
    requirePreviousSuccess: false,
  })
  return {
    services: [
      {
        name: 'web',
        repo: { url: 'https://git.example/web' },
        defaultBranch: 'main',
        environments: {},
        github: { owner: 'octo-org', repo: 'web', endpoint: 'gh' },
      },
    ],
    environments: [
      env('dev', {
        kind: 'http',
        url: `${version.url}/{service}/{environment}/version.json`,
        format: 'json',
        pointer: '/sha',
        credential: 'version',
      }),
      env('qa', {
        kind: 'rundeck',
        endpoint: 'rd',
        jobId: JOB,
        shaOption: 'SHA',
        environmentOption: { name: 'ENV', value: '{environment}' },
      }),
      env('staging', { kind: 'jenkins', endpoint: 'jk', job: 'deploy-{service}', shaParameter: 'SHA' }),
      env('production', { kind: 'github', environment: '{environment}' }),
    ],
    endpoints: {
      rd: { kind: 'rundeck', url: rundeck.url, apiVersion: 45, credential: 'rundeck' },
      jk: { kind: 'jenkins', url: jenkins.url, user: 'cockpit', credential: 'jenkins' },
      gh: { kind: 'github', url: github.url, credential: 'github' },
    },
    settings: { fetchIntervalMinutes: 0, probeTimeoutMs: 5000, probeConcurrency: 4 },
  }
}

function scan(text: string): void {
  for (const value of [...Object.values(SECRETS), ...Object.values(WRONG)]) {
    expect(text).not.toContain(value)
    // Rundeck shows a token's first five characters; not even those may leak.
    expect(text).not.toContain(value.slice(0, 12))
  }
}

describe('secrets never leave a probe', () => {
  it('every kind reads its value with the right secrets', async () => {
    const cacheFile = join(dir, 'probes.json')
    const runner = createProbeRunner({
      workspace: workspace(),
      secret: (n) => Promise.resolve(SECRETS[n as keyof typeof SECRETS]),
      cacheFile,
    })
    const results = await runner.probeAll()
    expect(results.map((r) => `${r.environment}:${r.sha}`)).toEqual([
      `dev:${sha('1')}`,
      `qa:${sha('2')}`,
      `staging:${sha('3')}`,
      `production:${sha('4')}`,
    ])
    scan(JSON.stringify(results))
    scan(readFileSync(cacheFile, 'utf8'))
  })

  it('every kind fails auth-failed with wrong secrets, naming the credential and nothing of its value', async () => {
    const runner = createProbeRunner({
      workspace: workspace(),
      secret: (n) => Promise.resolve(WRONG[n as keyof typeof WRONG]),
    })
    const results = await runner.probeAll()
    expect(results.map((r) => r.error?.code)).toEqual(['auth-failed', 'auth-failed', 'auth-failed', 'auth-failed'])
    expect(results.map((r) => /"(version|rundeck|jenkins|github)"/.exec(r.error?.message ?? '')?.[1])).toEqual([
      'version',
      'rundeck',
      'jenkins',
      'github',
    ])
    scan(JSON.stringify(results))
  })

  it('a missing secret is credential-missing, and faults never echo a secret', async () => {
    const missing = createProbeRunner({ workspace: workspace(), secret: () => Promise.resolve(undefined) })
    const results = await missing.probeAll()
    expect(results.slice(0, 3).map((r) => r.error?.code)).toEqual([
      'credential-missing',
      'credential-missing',
      'credential-missing',
    ])
    rundeck.faults.set({ serverError: { count: 1 } })
    jenkins.faults.set({ serverError: { count: 1 } })
    github.fail({ kind: 'status', status: 500 })
    version.fault('web', 'dev', { kind: 'malformed' })
    const faulty = createProbeRunner({
      workspace: workspace(),
      secret: (n) => Promise.resolve(SECRETS[n as keyof typeof SECRETS]),
    })
    const failed = await faulty.probeAll()
    expect(failed.every((r) => r.error)).toBe(true)
    scan(JSON.stringify([results, failed]))
  })
})
