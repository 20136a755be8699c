import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { appPaths } from '../../../src/main/core/app-paths'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { RecordingNotifier } from '../../../src/main/core/deploy/notifier'
import { memoryLogger } from '../../../src/main/core/logger'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { Identity } from '../../../src/shared/models/coordination'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir, type TestRepo } from '../../support/git-repo'

/*
 * A team's estate for the coordination tests: one service (billing) whose work repo is built with the git CLI, its
 * bare origin and the team's coordination repository served by git http-backend, a Rundeck simulator that deploys,
 * version pages the probes read, and one Trainyard home per teammate.
 */

export const JOB = '7c0a1d2e-0000-4000-8000-00000000c001'
export const RUNDECK_TOKEN = 'team-rundeck-token-5e8b1f'
export const COORDINATION_REF = 'refs/trainyard/coordination'

/** A teammate: a Trainyard home, an identity, a cockpit on a clock that can be moved forward. */
export interface Teammate {
  home: string
  who: Identity
  cockpit: Cockpit
  notifier: RecordingNotifier
  logger: ReturnType<typeof memoryLogger>
  /** Minutes this teammate's clock is ahead of real time. */
  ahead: number
}

/** Options of the estate's workspace file. */
export interface EstateOptions {
  /** Share through the coordination repository (default true). */
  coordination?: boolean
  /** `requireSignoff` of production-us. */
  requireSignoff?: string[]
  /** Extra YAML appended to the workspace (webhooks). */
  extra?: string
}

/** The estate: repos, servers, the workspace file and the teammates. */
export class TeamEstate {
  readonly dir = tmpDir('trainyard-team-')
  readonly repo: TestRepo
  /** base: what production runs; signed: what QA verified; next: a descendant of signed; sibling: off base, without signed. */
  readonly shas: { base: string; signed: string; next: string; sibling: string }
  git!: GitHttpServer
  rundeck!: RundeckSimulator
  versions!: VersionEndpoint
  file = ''
  private readonly mates: Teammate[] = []

  constructor() {
    this.repo = createRepo({ dir: join(this.dir, 'work', 'billing') })
    this.repo.git('symbolic-ref', 'HEAD', 'refs/heads/master')
    const base = this.repo.commit('Start billing', { 'app.txt': 'one\n' })
    const signed = this.repo.commit('Refunds (#21)', { 'app.txt': 'one\ntwo\n' })
    const next = this.repo.commit('Faster invoices (#22)', { 'app.txt': 'one\ntwo\nthree\n' })
    this.repo.git('branch', 'spike', base)
    this.repo.checkout('spike')
    const sibling = this.repo.commit('Spike: new ledger (#23)', { 'ledger.txt': 'x\n' })
    this.repo.checkout('master')
    this.shas = { base, signed, next, sibling }
  }

  /** The coordination repository as the server holds it. */
  get coordinationGitdir(): string {
    return join(this.dir, 'served', 'team.git')
  }

  async start(options: EstateOptions = {}): Promise<void> {
    const served = join(this.dir, 'served')
    mkdirSync(served, { recursive: true })
    runGit(this.dir, ['clone', '-q', '--bare', this.repo.path, join(served, 'billing.git')])
    // The team's coordination repository: the one that holds the workspace file.
    runGit(this.dir, ['init', '-q', '--bare', this.coordinationGitdir])
    this.git = await startGitHttpServer({ root: served })
    this.versions = await startVersionEndpoint()
    this.versions.set('billing', 'qa', this.shas.next)
    this.versions.set('billing', 'production-us', this.shas.base)
    this.rundeck = await startRundeckSimulator({
      tokens: { [RUNDECK_TOKEN]: 'team' },
      jobs: [
        {
          id: JOB,
          name: 'deploy',
          project: 'acme',
          options: [{ name: 'sha', required: true }, { name: 'environment' }],
          allowConcurrent: true,
          durationMs: 200,
          log: ['deploying ${option.sha}', 'done'],
        },
      ],
    })
    this.file = join(this.dir, 'team.trainyard.yaml')
    writeFileSync(this.file, this.workspaceYaml(options))
  }

  workspaceYaml(options: EstateOptions): string {
    const probe = `{ http: "${this.versions.url}/{service}/{environment}/version.json", json: /sha }`
    const deploy = `{ rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}", environment: "{environment}" } }`
    const signoff = options.requireSignoff ? `\n    requireSignoff: [${options.requireSignoff.join(', ')}]` : ''
    const coordination =
      options.coordination === false
        ? ''
        : `coordination: { repo: ${this.git.repoUrl('team')}, staleAfterMinutes: 1 }\n`
    return `version: 1
name: Team test
endpoints:
  rundeck: { kind: rundeck, url: ${this.rundeck.url}, apiVersion: 45, credential: team-rundeck, project: acme }
services:
  - name: billing
    repo: ${this.git.repoUrl('billing')}
    defaultBranch: master
environments:
  qa:
    probe: ${probe}
    deploy: ${deploy}
  production-us:
    probe: ${probe}
    deploy: ${deploy}${signoff}
regions:
  us: { label: United States, path: [qa, production-us] }
${coordination}${options.extra ?? ''}`
  }

  /** A teammate with a Trainyard home of their own (`TRAINYARD_HOME`), on the workspace, with clones fetched. */
  async teammate(name: string, secrets: Record<string, string> = {}): Promise<Teammate> {
    const home = join(this.dir, 'homes', name)
    const who = { name, email: `${name}@acme.test` }
    const notifier = new RecordingNotifier()
    const logger = memoryLogger()
    const mate: Teammate = { home, who, notifier, logger, ahead: 0, cockpit: undefined as unknown as Cockpit }
    mate.cockpit = await createCockpit({
      paths: appPaths({ TRAINYARD_HOME: home }),
      appState: memoryAppState(),
      secrets: new MemorySecretStore({ 'team-rundeck': RUNDECK_TOKEN, ...secrets }),
      notifier,
      logger,
      identity: who,
      user: name,
      clock: () => new Date(Date.now() + mate.ahead * 60_000),
    })
    await mate.cockpit.invoke('workspace.open', { file: this.file })
    await mate.cockpit.invoke('repos.fetch', {})
    this.mates.push(mate)
    return mate
  }

  /** The records on the server's coordination ref: path → parsed JSON (the git CLI is the oracle). */
  serverRecords(): Map<string, Record<string, unknown>> {
    const out = new Map<string, Record<string, unknown>>()
    const tree = runGit(this.coordinationGitdir, ['ls-tree', '-r', '--name-only', COORDINATION_REF]).trim()
    for (const path of tree.split('\n').filter((p) => p !== '')) {
      const text = runGit(this.coordinationGitdir, ['show', `${COORDINATION_REF}:${path}`])
      out.set(path, JSON.parse(text) as Record<string, unknown>)
    }
    return out
  }

  async close(): Promise<void> {
    for (const mate of this.mates) await mate.cockpit.close()
    await Promise.all([this.git?.close(), this.rundeck?.close(), this.versions?.close()])
    removeDir(this.dir)
  }
}

/** Resolves with a run once it is final (the cockpit's events, or the journal if it already ended). */
export function finished(cockpit: Cockpit, run: DeployRun): Promise<DeployRun> {
  const final = (r: DeployRun) => ['succeeded', 'failed', 'aborted', 'unknown'].includes(r.state)
  return new Promise((resolve) => {
    const stop = cockpit.events.on('deploys.changed', ({ run: changed }) => {
      if (changed.id === run.id && final(changed)) {
        stop()
        resolve(changed)
      }
    })
    void cockpit.invoke('deploys.get', { runId: run.id }).then(({ run: now }) => {
      if (final(now)) {
        stop()
        resolve(now)
      }
    })
  })
}
