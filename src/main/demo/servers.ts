import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { startJenkinsSimulator, type JenkinsSimulator } from '../simulators/jenkins-sim'
import { startRundeckSimulator, type RundeckSimulator } from '../simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../simulators/version-endpoint'
import { DEMO_ENVIRONMENTS, type DemoFacts } from './facts'
import { startDemoGitServer, type DemoGitServer } from './git-server'

/** The demo's loopback servers: git (pushes need its token), Rundeck, Jenkins and the apps' version pages, with this run's tokens. */
export interface DemoServers {
  git: DemoGitServer
  rundeck: RundeckSimulator
  jenkins: JenkinsSimulator
  versions: VersionEndpoint
  /** Credential name → secret, kept in memory only (never written to the demo's files). */
  secrets: Map<string, string>
  close(): Promise<void>
}

/** The Rundeck job that deploys a demo service (one job per service, the environment is an option). */
export function rundeckJobId(service: string): string {
  const hex = Buffer.from(`deploy-${service}`.padEnd(16, '-')).toString('hex').slice(0, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

function deployLog(tool: string): string[] {
  return [
    `\u001b[1m==> ${tool}: deploying \${service} \${sha} to \${environment}\u001b[0m`,
    'Fetching artifact build-${sha}.tar.gz from the package server',
    'Verifying checksum… \u001b[32mok\u001b[0m',
    'Draining 1 of 3 instances',
    'Installing release on instance 1/3',
    'Installing release on instance 2/3',
    'Installing release on instance 3/3',
    'Running database migrations: 0 pending',
    'Smoke test GET /healthcheck → <b>200 OK</b> &amp; fast',
    '\u001b[32m==> Deploy finished\u001b[0m',
  ]
}

/** Starts the demo's servers and sets every version page to what the history says runs there. */
export async function startDemoServers(dir: string, facts: DemoFacts): Promise<DemoServers> {
  const rundeckToken = randomBytes(16).toString('hex')
  const jenkinsToken = randomBytes(16).toString('hex')
  const gitToken = randomBytes(16).toString('hex')
  const git = await startDemoGitServer(join(dir, 'origin'), { token: gitToken })
  const succeeded = facts.deploys.filter((d) => d.result === 'succeeded')
  const rundeckEnvs = new Set<string>(DEMO_ENVIRONMENTS.filter((e) => e.provider === 'rundeck').map((e) => e.name))
  const rundeck = await startRundeckSimulator({
    tokens: { [rundeckToken]: 'trainyard-demo' },
    jobs: facts.services.map((service) => ({
      id: rundeckJobId(service),
      name: `deploy ${service}`,
      group: 'deploy',
      project: 'acme',
      description: `Deploy ${service}`,
      options: [
        { name: 'sha', required: true },
        { name: 'environment', required: true },
        { name: 'service', value: service },
      ],
      allowConcurrent: true,
      durationMs: 6000,
      outcome: 'succeeded',
      log: deployLog('rundeck').map((l) =>
        l
          .replaceAll('${service}', service)
          .replaceAll('${sha}', '${option.sha}')
          .replaceAll('${environment}', '${option.environment}'),
      ),
    })),
    history: succeeded
      .filter((d) => rundeckEnvs.has(d.environment))
      .map((d) => ({
        jobId: rundeckJobId(d.service),
        options: { sha: d.sha, environment: d.environment, service: d.service },
        status: 'succeeded' as const,
        startedAt: Date.parse(d.at),
        durationMs: 60_000,
        user: d.by,
      })),
  })
  const jenkins = await startJenkinsSimulator({
    users: [{ name: 'trainyard-demo', token: jenkinsToken }],
    crumb: 'on',
    jobs: facts.services.map((service) => ({
      path: `deploy/${service}`,
      parameters: [{ name: 'GIT_SHA' }, { name: 'TARGET', choices: ['dev', 'qa'] }],
      durationMs: 4000,
      concurrent: true,
      result: 'SUCCESS' as const,
      log: deployLog('jenkins').map((l) =>
        l
          .replaceAll('${service}', service)
          .replaceAll('${sha}', '${GIT_SHA}')
          .replaceAll('${environment}', '${TARGET}'),
      ),
    })),
    history: succeeded
      .filter((d) => !rundeckEnvs.has(d.environment))
      .map((d) => ({
        job: `deploy/${d.service}`,
        parameters: { GIT_SHA: d.sha, TARGET: d.environment },
        result: 'SUCCESS' as const,
        startedAt: Date.parse(d.at),
        durationMs: 40_000,
        user: d.by,
      })),
  })
  const versions = await startVersionEndpoint()
  for (const d of succeeded) versions.set(d.service, d.environment, d.sha)

  // Like a real app that reports its new version once deployed: follow the simulators' finished runs.
  const seen = new Set<string>()
  const follow = () => {
    for (const e of rundeck.executions()) {
      if (e.status !== 'succeeded' || seen.has(`r${e.id}`)) continue
      seen.add(`r${e.id}`)
      const service = e.options.service
      if (service && e.options.sha && e.options.environment) versions.set(service, e.options.environment, e.options.sha)
    }
    for (const b of jenkins.builds()) {
      if (b.result !== 'SUCCESS' || b.building || seen.has(`j${b.job}#${b.number}`)) continue
      seen.add(`j${b.job}#${b.number}`)
      const service = b.job.split('/').pop()
      if (service && b.params.GIT_SHA && b.params.TARGET) versions.set(service, b.params.TARGET, b.params.GIT_SHA)
    }
  }
  follow()
  const timer = setInterval(follow, 500)
  timer.unref()

  return {
    git,
    rundeck,
    jenkins,
    versions,
    secrets: new Map([
      ['demo-rundeck', rundeckToken],
      ['demo-jenkins', jenkinsToken],
      ['demo-git', gitToken],
    ]),
    close: async () => {
      clearInterval(timer)
      await Promise.all([git.close(), rundeck.close(), jenkins.close(), versions.close()])
    },
  }
}
