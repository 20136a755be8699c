import { DEMO_SERVICES, DEMO_TRAINS } from './facts'
import { rundeckJobId, type DemoServers } from './servers'

/** The demo's workspace file, pointing at this run's loopback servers (ports change at every start). */
export function demoWorkspaceYaml(servers: Pick<DemoServers, 'git' | 'rundeck' | 'jenkins' | 'versions'>): string {
  // One Rundeck job per service: its id is written per service (a job id is not a template).
  const rundeckDeploy = (service: string, env: string) =>
    `{ rundeck: rundeck, job: "${rundeckJobId(service)}", options: { service: ${service}, sha: "{sha}", environment: ${env} } }`
  const versionProbe = `{ http: "${servers.versions.url}/{service}/{environment}/version.json", json: /sha }`
  const services = DEMO_SERVICES.map((s) =>
    [
      `  - name: ${s}`,
      `    repo: { url: ${servers.git.url}/${s}.git, credential: demo-git }`,
      `    defaultBranch: master`,
      '    environments:',
      `      staging: { deploy: ${rundeckDeploy(s, 'staging')} }`,
      `      production-uk: { deploy: ${rundeckDeploy(s, 'production-uk')} }`,
      `      production-us:`,
      `        probe: { rundeck: rundeck, job: "${rundeckJobId(s)}", shaOption: sha, environment: { option: environment, value: production-us } }`,
      `        deploy: ${rundeckDeploy(s, 'production-us')}`,
    ].join('\n'),
  )
  return `# The Trainyard demo: generated, with its own loopback Rundeck, Jenkins, git server and version pages.
# Rewritten at every start (the ports change); "Reset demo" makes the whole history again.
version: 1
name: Acme shop (demo)

endpoints:
  rundeck: { kind: rundeck, url: ${servers.rundeck.url}, apiVersion: 45, credential: demo-rundeck, project: acme }
  jenkins: { kind: jenkins, url: ${servers.jenkins.url}, user: trainyard-demo, credential: demo-jenkins }

services:
${services.join('\n')}

environments:
  dev:
    probe: ${versionProbe}
    deploy: { jenkins: jenkins, job: "deploy/{service}", parameters: { GIT_SHA: "{sha}", TARGET: dev } }
  qa:
    probe: ${versionProbe}
    deploy: { jenkins: jenkins, job: "deploy/{service}", parameters: { GIT_SHA: "{sha}", TARGET: qa } }
  staging:
    probe: ${versionProbe}
    requirePreviousSuccess: false
  production-uk:
    probe: ${versionProbe}
    requirePreviousSuccess: true
  production-us:
    probe: ${versionProbe}
    requirePreviousSuccess: true

regions:
  uk: { label: United Kingdom, path: [dev, qa, staging, production-uk] }
  us: { label: United States, path: [dev, qa, staging, production-us] }

# Locks, sign-offs and who is deploying, shared through the demo's own git server.
coordination: { repo: ${servers.git.url}/coordination.git, credential: demo-git }

trains:
  timezone: ${DEMO_TRAINS.timezone}
  cut: ${DEMO_TRAINS.cut.day} ${DEMO_TRAINS.cut.time}
  deploy: ${DEMO_TRAINS.deploy.day} ${DEMO_TRAINS.deploy.time}
  names: [${DEMO_TRAINS.names.join(', ')}]
  anchor: { date: ${DEMO_TRAINS.anchor.date}, name: ${DEMO_TRAINS.anchor.name} }
  seasoningDays: ${DEMO_TRAINS.seasoningDays}
  regions: { uk: 0, us: 1 }
  hotfixBranch: "{region}-release"
  serviceOrder: [${DEMO_SERVICES.join(', ')}]

settings:
  fetchIntervalMinutes: 0
  probeTimeoutMs: 3000
  probeConcurrency: 8
`
}
