import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { workspaceStateDir } from '../../../src/main/core/runtime/workspace-runtime'
import {
  DEFAULT_RUNDECK_TOKEN,
  startRundeckSimulator,
  type RundeckSimulator,
} from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { cloneRepo, createRepo, removeDir, tmpDir, wrapRepo, type TestRepo } from '../../support/git-repo'

/*
 * A whole estate for the trains flow: work repos built with the git CLI, bare origins served by git http-backend,
 * a Rundeck simulator that deploys, version pages the probes read, and the real cockpit on a movable clock.
 */

export const JOB = '11111111-2222-3333-4444-555555555555'
/** A deploy job whose runs fail. */
export const FAILING_JOB = '66666666-7777-8888-9999-000000000000'
export const SERVICES = ['api', 'billing'] as const
const at = (iso: string): number => Date.parse(iso) / 1000

/** The estate: repos, servers, the cockpit and its clock. */
export class FlowEstate {
  readonly dir = tmpDir('trainyard-trains-flow-')
  readonly work: Record<string, TestRepo> = {}
  private fake = new Date('2026-01-01T00:00:00Z')
  private setAt = Date.now()

  /** The cockpit's clock: stands still between steps, so the board's answers do not drift. */
  get now(): Date {
    return this.fake
  }

  set now(value: Date) {
    this.fake = value
    this.setAt = Date.now()
  }

  /** The simulators' clock: the cockpit's time plus the real time since it was set, so runs still end. */
  private simClock = (): number => this.fake.getTime() + (Date.now() - this.setAt)
  git!: GitHttpServer
  rundeck!: RundeckSimulator
  versions!: VersionEndpoint
  cockpit!: Cockpit

  /**
   * Makes a work repo per service with a first commit on master; `failing` cells deploy through a job that fails;
   * with `requirePreviousSuccess`, production needs the SHA to have succeeded on staging first.
   */
  constructor(
    private readonly failing: readonly string[] = [],
    private readonly options: { requirePreviousSuccess?: boolean } = {},
  ) {
    for (const s of SERVICES) {
      const repo = createRepo({ dir: join(this.dir, 'work', s) })
      repo.git('symbolic-ref', 'HEAD', 'refs/heads/master')
      repo.commit(`Start ${s}`, { 'invoice.txt': 'a\n' }, { date: at('2025-12-29T09:00:00Z') })
      this.work[s] = repo
    }
  }

  repo(service: string): TestRepo {
    const r = this.work[service]
    if (r === undefined) throw new Error(`no repo ${service}`)
    return r
  }

  /** The bare origin of a service (what the git server serves). */
  origin(service: string): TestRepo {
    return wrapRepo(join(this.dir, 'origin', `${service}.git`), true)
  }

  /** The cockpit's clone of a service. */
  clone(service: string): TestRepo {
    const state = workspaceStateDir(
      { data: join(this.dir, 'data'), cache: join(this.dir, 'cache') },
      join(this.dir, 'trainyard.yaml'),
    )
    return wrapRepo(join(state, 'clones', `${service}.git`), true)
  }

  commit(service: string, iso: string, message: string, files: Record<string, string>): string {
    return this.repo(service).commit(message, files, { date: at(iso) })
  }

  /** Publishes the work repos as bare origins and starts the servers and the cockpit on the workspace. */
  async start(): Promise<void> {
    for (const s of SERVICES) cloneRepo(this.repo(s).path, { dir: join(this.dir, 'origin', `${s}.git`), bare: true })
    this.git = await startGitHttpServer({ root: join(this.dir, 'origin') })
    this.rundeck = await startRundeckSimulator({
      jobs: [
        {
          id: JOB,
          name: 'deploy',
          project: 'acme',
          options: [{ name: 'service' }, { name: 'sha' }, { name: 'environment' }],
          allowConcurrent: true,
          durationMs: 50,
        },
        {
          id: FAILING_JOB,
          name: 'deploy-broken',
          project: 'acme',
          options: [{ name: 'service' }, { name: 'sha' }, { name: 'environment' }],
          allowConcurrent: true,
          durationMs: 50,
          outcome: 'failed',
        },
      ],
      clock: this.simClock,
    })
    this.versions = await startVersionEndpoint({ clock: () => new Date(this.simClock()) })
    const file = join(this.dir, 'trainyard.yaml')
    writeFileSync(file, this.workspaceYaml())
    mkdirSync(join(this.dir, 'data'), { recursive: true })
    this.cockpit = await createCockpit({
      paths: { data: join(this.dir, 'data'), cache: join(this.dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore({ 'rundeck-token': DEFAULT_RUNDECK_TOKEN }),
      logger: memoryLogger(),
      clock: () => this.now,
      user: 'rm',
    })
    await this.cockpit.invoke('workspace.open', { file })
    await this.cockpit.invoke('repos.fetch', {})
  }

  /** Sets what a service runs in an environment (as the app's version page reports it). */
  runs(service: string, environment: string, sha: string): void {
    this.versions.set(service, environment, sha)
  }

  /** Makes the version pages follow the deploy runs that succeeded (as a real app reports its new version). */
  follow(runs: readonly DeployRun[]): void {
    for (const r of runs) if (r.state === 'succeeded') this.runs(r.service, r.environment, r.sha)
  }

  async close(): Promise<void> {
    await this.cockpit.close()
    await Promise.all([this.git.close(), this.rundeck.close(), this.versions.close()])
    removeDir(this.dir)
  }

  private workspaceYaml(): string {
    const env = (s: string, e: string): string =>
      `      ${e}: { deploy: { rundeck: rundeck, job: "${this.failing.includes(`${s}/${e}`) ? FAILING_JOB : JOB}", options: { service: "${s}", sha: "{sha}", environment: ${e} } } }`
    const services = SERVICES.map(
      (s) =>
        `  - name: ${s}\n    repo: ${this.git.repoUrl(s)}\n    defaultBranch: master\n    environments:\n${['staging', 'production-uk', 'production-us'].map((e) => env(s, e)).join('\n')}`,
    ).join('\n')
    const probe = `{ http: "${this.versions.url}/{service}/{environment}/version.json", json: /sha }`
    const required = this.options.requirePreviousSuccess === true
    return `version: 1
name: Trains flow
endpoints:
  rundeck: { kind: rundeck, url: ${this.rundeck.url}, apiVersion: 45, credential: rundeck-token, project: acme }
services:
${services}
environments:
  staging: { probe: ${probe}, requirePreviousSuccess: false }
  production-uk: { probe: ${probe}, requirePreviousSuccess: ${required} }
  production-us: { probe: ${probe}, requirePreviousSuccess: ${required} }
regions:
  uk: { label: UK, path: [staging, production-uk] }
  us: { label: US, path: [staging, production-us] }
trains:
  timezone: Europe/London
  cut: thursday 24:00
  deploy: friday 10:00
  names: [ALICIA, BERTHA, CHARLIE, DARLENE, EDNA]
  anchor: { date: 2026-01-01, name: ALICIA }
  seasoningDays: 7
  regions: { uk: 0, us: 1 }
  hotfixBranch: "{region}-release"
settings:
  fetchIntervalMinutes: 0
  probeTimeoutMs: 3000
  probeConcurrency: 4
`
  }
}
