import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { workspaceStateDir } from '../../../src/main/core/runtime/workspace-runtime'
import {
  DEFAULT_JENKINS_TOKEN,
  DEFAULT_JENKINS_USER,
  startJenkinsSimulator,
  type JenkinsSimulator,
} from '../../../src/main/simulators/jenkins-sim'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { DeployRun } from '../../../src/shared/models/deploys'
import type { ReleaseSet, SetPreview } from '../../../src/shared/models/release-sets'
import { startCli, type CliProcess, type CliRun } from '../../support/cli-process'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'

const API_JOB = '5a1c2d3e-0000-4000-8000-0000000a0001'
const WEB_JOB = '5a1c2d3e-0000-4000-8000-0000000a0002'
const TOKEN = 'set-promotion-rundeck-token-9d1f'
const SERVICES = ['api', 'web', 'worker'] as const
type Service = (typeof SERVICES)[number]
const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@example.test' },
  { name: 'Grace Hopper', email: 'grace@example.test' },
  { name: 'Edsger Dijkstra', email: 'edsger@example.test' },
]

/*
 * A three-service estate (web and worker depend on api) over a real `git http-backend`, Rundeck (api, web) and
 * Jenkins (worker) simulators, driven by the real CLI a process per command: `promote --from staging --to
 * production` previews the set (lists checked against `git rev-list`), deploys in dependency order, stops at a
 * failed step, survives SIGKILL after its first trigger without triggering anything twice, and skips refused steps.
 */
describe('promoting what staging runs to production, as a set', () => {
  let dir: string
  let file: string
  let git: GitHttpServer
  let rundeck: RundeckSimulator
  let jenkins: JenkinsSimulator
  let versions: VersionEndpoint
  const repos = {} as Record<Service, TestRepo>
  let round = 0

  const start = (args: string[]): CliProcess =>
    startCli(args, {
      workspace: file,
      home: join(dir, 'home'),
      secrets: { rd: TOKEN, jk: DEFAULT_JENKINS_TOKEN },
    })
  const cli = (...args: string[]): Promise<CliRun> => start(args).done
  const json = <T>(run: CliRun): T => JSON.parse(run.stdout) as T
  const stateDir = (): string =>
    workspaceStateDir({ data: join(dir, 'home', 'data'), cache: join(dir, 'home', 'cache') }, file)
  const triggers = (): Record<Service, number> => ({
    api: rundeck.triggerCount(API_JOB),
    web: rundeck.triggerCount(WEB_JOB),
    worker: jenkins.triggerCount('deploy-worker'),
  })

  /** New commits on every service (api gets 62: more than a printed list shows per author), pushed; staging runs them. */
  async function stageNewCommits(): Promise<Record<Service, { from: string; to: string }>> {
    round++
    const moved = {} as Record<Service, { from: string; to: string }>
    for (const service of SERVICES) {
      const repo = repos[service]
      const from = repo.git('rev-parse', 'HEAD').trim()
      const count = service === 'api' ? 62 : 2
      for (let i = 0; i < count; i++) {
        const author = PEOPLE[i % PEOPLE.length]
        repo.commit(
          `${service} change ${round}.${i}${i === 0 ? ` (#${100 * round + i})` : ''}`,
          {
            [`${service}.txt`]: `${round}.${i}\n`,
          },
          author ? { author } : {},
        )
      }
      const to = repo.git('rev-parse', 'HEAD').trim()
      repo.git('push', '-q', join(dir, 'served', `${service}.git`), 'HEAD:refs/heads/master')
      versions.set(service, 'staging', to)
      moved[service] = { from, to }
    }
    const fetched = await cli('fetch', '--json')
    expect(fetched.code, fetched.stderr).toBe(0)
    return moved
  }

  /** What production runs now follows what the last set deployed (the version endpoint does not watch deploys). */
  function productionRuns(shas: Partial<Record<Service, string>>): void {
    for (const [service, sha] of Object.entries(shas)) versions.set(service, 'production', sha)
  }

  beforeAll(async () => {
    dir = tmpDir('trainyard-sets-')
    mkdirSync(join(dir, 'served'))
    versions = await startVersionEndpoint()
    for (const service of SERVICES) {
      const repo = createRepo()
      repos[service] = repo
      const root = repo.commit(`${service}: first`, { [`${service}.txt`]: '0\n' })
      repo.git('clone', '-q', '--bare', repo.path, join(dir, 'served', `${service}.git`))
      versions.set(service, 'production', root)
      versions.set(service, 'staging', root)
    }
    git = await startGitHttpServer({ root: join(dir, 'served') })
    const job = (id: string, name: string) => ({
      id,
      name,
      project: 'acme',
      options: [{ name: 'sha', required: true }],
      durationMs: 300,
      log: [`deploying ${name} \${option.sha}`, 'done'],
    })
    rundeck = await startRundeckSimulator({
      tokens: { [TOKEN]: 'sets' },
      jobs: [job(API_JOB, 'deploy-api'), job(WEB_JOB, 'deploy-web')],
    })
    jenkins = await startJenkinsSimulator({
      jobs: [
        { path: 'deploy-worker', parameters: [{ name: 'GIT_SHA' }], durationMs: 300, log: ['building ${GIT_SHA}'] },
      ],
    })
    file = join(dir, 'estate.trainyard.yaml')
    const probe = `{ http: "${versions.url}/{service}/{environment}/version.json", json: /sha }`
    const rundeckJob = (id: string) => `{ rundeck: rundeck, job: ${id}, options: { sha: "{sha}" } }`
    writeFileSync(
      file,
      `version: 1
name: Sets
endpoints:
  rundeck: { kind: rundeck, url: ${rundeck.url}, apiVersion: 45, credential: rd, project: acme }
  jenkins: { kind: jenkins, url: ${jenkins.url}, user: ${DEFAULT_JENKINS_USER}, credential: jk }
services:
  - name: api
    repo: ${git.repoUrl('api')}
    defaultBranch: master
    environments: { production: { deploy: ${rundeckJob(API_JOB)} } }
  - name: web
    repo: ${git.repoUrl('web')}
    defaultBranch: master
    dependsOn: [api]
    environments: { production: { deploy: ${rundeckJob(WEB_JOB)} } }
  - name: worker
    repo: ${git.repoUrl('worker')}
    defaultBranch: master
    dependsOn: [api]
    environments:
      production: { deploy: { jenkins: jenkins, job: deploy-worker, parameters: { GIT_SHA: "{sha}" } } }
environments:
  staging: { probe: ${probe} }
  production: { probe: ${probe} }
regions:
  eu: { label: Europe, path: [staging, production] }
settings: { fetchIntervalMinutes: 0 }
`,
    )
  }, 120_000)

  afterAll(async () => {
    await Promise.all([git?.close(), rundeck?.close(), jenkins?.close(), versions?.close()])
    for (const repo of Object.values(repos)) repo.cleanup()
    removeDir(dir)
  })

  it('previews every commit of every service as `git rev-list` lists it, with authors, and sends nothing', async () => {
    const moved = await stageNewCommits()
    const before = triggers()
    const dry = await cli('promote', '--from', 'staging', '--to', 'production', '--dry-run', '--json')
    expect(dry.code, dry.stderr).toBe(0)
    const preview = json<SetPreview>(dry)
    expect(preview.steps.map((s) => [s.service, s.wave, s.verdict])).toEqual([
      ['api', 0, 'ships'],
      ['web', 1, 'ships'],
      ['worker', 1, 'ships'],
    ])
    for (const service of SERVICES) {
      const { from, to } = moved[service]
      const oracle = repos[service]
        .git('rev-list', '--format=%H %ae %an', '--no-commit-header', to, `^${from}`)
        .trim()
        .split('\n')
      const step = preview.steps.find((s) => s.service === service)
      expect(step?.preview?.commits.map((c) => `${c.sha} ${c.author.email} ${c.author.name}`)).toEqual(oracle)
    }
    const all = preview.authors.flatMap((a) => a.commits.map((c) => `${c.service} ${c.sha} ${a.email}`)).sort()
    const expected = SERVICES.flatMap((service) =>
      repos[service]
        .git('rev-list', '--format=%H %ae', '--no-commit-header', moved[service].to, `^${moved[service].from}`)
        .trim()
        .split('\n')
        .map((line) => `${service} ${line}`),
    ).sort()
    expect(all).toEqual(expected)
    expect(preview.commitCount).toBe(66)
    for (const person of PEOPLE) expect(preview.releaseNote).toContain(`<${person.email}>`)
    expect(preview.releaseNote).toContain('## Authors to ask')
    expect(preview.releaseNote).toContain('api change 1.0 (#100)')
    // The text says how many are not shown, and --all shows them.
    const text = await cli('promote', '--from', 'staging', '--to', 'production', '--dry-run')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/… and \d+ more/)
    const everything = await cli('promote', '--from', 'staging', '--to', 'production', '--dry-run', '--all')
    for (const sha of repos.api.git('rev-list', moved.api.to, `^${moved.api.from}`).trim().split('\n'))
      expect(everything.stdout).toContain(sha.slice(0, 7))
    expect(everything.stdout).not.toMatch(/… and \d+ more/)
    expect(triggers()).toEqual(before)
  }, 120_000)

  it('deploys the set in dependency order: api first, then web and worker', async () => {
    const moved = await stageNewCommits()
    const before = triggers()
    const run = await cli('promote', '--from', 'staging', '--to', 'production', '--wait', '--json')
    expect(run.code, run.stderr).toBe(0)
    const set = json<ReleaseSet>(run)
    expect(set.state).toBe('succeeded')
    expect(set.steps.map((s) => [s.service, s.state, s.sha])).toEqual(
      SERVICES.map((service) => [service, 'succeeded', moved[service].to]),
    )
    expect(triggers()).toEqual({ api: before.api + 1, web: before.web + 1, worker: before.worker + 1 })
    const runs = json<DeployRun[]>(await cli('deploys', '--json')).filter((r) => r.setId === set.id)
    const api = runs.find((r) => r.service === 'api')
    expect(runs).toHaveLength(3)
    for (const later of runs.filter((r) => r.service !== 'api'))
      expect(Date.parse(later.requestedAt)).toBeGreaterThanOrEqual(Date.parse(api?.endedAt ?? ''))
    productionRuns({ api: moved.api.to, web: moved.web.to, worker: moved.worker.to })
  }, 120_000)

  it('stops at a failed step: the step after it never starts', async () => {
    const moved = await stageNewCommits()
    rundeck.setJob(WEB_JOB, { outcome: 'failed' })
    try {
      const before = triggers()
      const run = await cli('promote', '--from', 'staging', '--to', 'production', '--json')
      expect(run.code).toBe(1)
      const set = json<ReleaseSet>(run)
      expect(set.state).toBe('failed')
      expect(set.steps.map((s) => [s.service, s.state])).toEqual([
        ['api', 'succeeded'],
        ['web', 'failed'],
        ['worker', 'not-started'],
      ])
      expect(set.summary).toMatch(/Deployed: api\. Not started: worker\./)
      expect(triggers()).toEqual({ api: before.api + 1, web: before.web + 1, worker: before.worker })
    } finally {
      rundeck.setJob(WEB_JOB, { outcome: 'succeeded' })
    }
    productionRuns({ api: moved.api.to })
  }, 120_000)

  it('killed after its first trigger, a resumed set finishes without sending any trigger twice', async () => {
    const moved = await stageNewCommits()
    const before = triggers()
    // Long enough that api still runs when the process dies.
    rundeck.setJob(API_JOB, { durationMs: 3000 })
    try {
      const journal = join(stateDir(), 'journal.jsonl')
      const lines = (): string[] => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n') : [])
      const known = lines().length
      const owner = start(['promote', '--from', 'staging', '--to', 'production', '--json'])
      // The api run's trigger was answered and journaled: kill the process right there.
      while (
        !lines()
          .slice(known - 1)
          .some((l) => l.includes('"kind":"triggered"'))
      )
        await new Promise((r) => setTimeout(r, 25))
      owner.kill()
      const killed = await owner.done
      expect(killed.signal).toBe('SIGKILL')
      expect(triggers()).toEqual({ ...before, api: before.api + 1 })

      const listed = json<ReleaseSet[]>(await cli('sets', '--json'))
      const set = listed[0]
      expect(set).toMatchObject({ state: 'running', interrupted: true })
      const resumed = await cli('sets', 'resume', set?.id ?? '', '--json')
      expect(resumed.code, resumed.stderr).toBe(0)
      const after = json<ReleaseSet>(resumed)
      expect(after.state).toBe('succeeded')
      expect(after.steps.map((s) => [s.service, s.state, s.sha])).toEqual(
        SERVICES.map((service) => [service, 'succeeded', moved[service].to]),
      )
      expect(triggers()).toEqual({ api: before.api + 1, web: before.web + 1, worker: before.worker + 1 })
      // Resuming a finished set sends nothing either.
      const again = await cli('sets', 'resume', set?.id ?? '', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(triggers()).toEqual({ api: before.api + 1, web: before.web + 1, worker: before.worker + 1 })
    } finally {
      rundeck.setJob(API_JOB, { durationMs: 300 })
    }
    productionRuns({ api: moved.api.to, web: moved.web.to, worker: moved.worker.to })
  }, 120_000)

  it('with parallelDeploys: 2, the services of one wave deploy at the same time', async () => {
    const moved = await stageNewCommits()
    const before = triggers()
    const yaml = readFileSync(file, 'utf8')
    writeFileSync(
      file,
      yaml.replace(
        'settings: { fetchIntervalMinutes: 0 }',
        'settings: { fetchIntervalMinutes: 0, parallelDeploys: 2 }',
      ),
    )
    // web's trigger gets no answer until worker's trigger reached Jenkins: one after another, this never ends.
    let answer: () => void = () => undefined
    rundeck.faults.set({ hold: { match: new RegExp(`^POST .*${WEB_JOB}`), until: new Promise((r) => (answer = r)) } })
    try {
      const owner = start(['promote', '--from', 'staging', '--to', 'production', '--json'])
      while (jenkins.triggerCount('deploy-worker') === before.worker) await new Promise((r) => setTimeout(r, 25))
      expect(rundeck.triggerCount(WEB_JOB)).toBe(before.web)
      answer()
      const run = await owner.done
      expect(run.code, run.stderr).toBe(0)
      expect(json<ReleaseSet>(run).steps.map((s) => [s.service, s.wave, s.state])).toEqual([
        ['api', 0, 'succeeded'],
        ['web', 1, 'succeeded'],
        ['worker', 1, 'succeeded'],
      ])
    } finally {
      rundeck.faults.set({ hold: undefined })
      answer()
      writeFileSync(file, yaml)
    }
    expect(triggers()).toEqual({ api: before.api + 1, web: before.web + 1, worker: before.worker + 1 })
    productionRuns({ api: moved.api.to, web: moved.web.to, worker: moved.worker.to })
  }, 120_000)

  it('a step left unknown holds the set until a person settles it; resumed, the set goes on', async () => {
    const moved = await stageNewCommits()
    const before = triggers()
    // The trigger reaches Rundeck but its answer is lost: Trainyard cannot tell whether api started.
    rundeck.faults.set({ reset: { count: 1, after: true, match: 'POST' } })
    const run = await cli('promote', '--from', 'staging', '--to', 'production', '--json')
    expect(run.code).toBe(1)
    const held = json<ReleaseSet>(run)
    expect(held.state).toBe('held')
    expect(held.steps.map((s) => [s.service, s.state])).toEqual([
      ['api', 'unknown'],
      ['web', 'waiting'],
      ['worker', 'waiting'],
    ])
    expect(run.stderr).toContain(`trainyard sets resume ${held.id}`)
    const still = await cli('sets', 'resume', held.id, '--json')
    expect(json<ReleaseSet>(still).state).toBe('held')
    expect(triggers()).toEqual({ ...before, api: before.api + 1 })
    const runId = held.steps[0]?.runId ?? ''
    const settled = await cli('settle', runId, '--state', 'succeeded', '--note', 'the execution ran in Rundeck')
    expect(settled.code, settled.stderr).toBe(0)
    const resumed = await cli('sets', 'resume', held.id, '--json')
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(json<ReleaseSet>(resumed).steps.map((s) => [s.service, s.state])).toEqual(
      SERVICES.map((service) => [service, 'succeeded']),
    )
    expect(triggers()).toEqual({ api: before.api + 1, web: before.web + 1, worker: before.worker + 1 })
    productionRuns({ api: moved.api.to, web: moved.web.to, worker: moved.worker.to })
  }, 120_000)

  it('a locked target and a non-descendant are refused in the preview and skipped in the run', async () => {
    const moved = await stageNewCommits()
    // Production's web runs a commit staging's web does not descend from.
    const web = repos.web
    web.branch('elsewhere', moved.web.from)
    web.checkout('elsewhere')
    const aside = web.commit('web: hotfix made aside', { 'aside.txt': '1\n' })
    web.git('push', '-q', join(dir, 'served', 'web.git'), 'elsewhere')
    web.checkout('master')
    expect((await cli('fetch', '--json')).code).toBe(0)
    productionRuns({ web: aside })
    // The team locked worker in production.
    const locked = await cli('lock', 'production', '--service', 'worker', '--reason', 'worker migration', '--json')
    expect(locked.code, locked.stderr).toBe(0)
    const before = triggers()

    const dry = await cli('promote', '--from', 'staging', '--to', 'production', '--dry-run', '--json')
    expect(dry.code).toBe(1)
    const preview = json<SetPreview>(dry)
    expect(preview.steps.map((s) => [s.service, s.verdict, s.blockers.map((b) => b.code)])).toEqual([
      ['api', 'ships', []],
      ['web', 'refused', ['not-a-descendant']],
      ['worker', 'refused', ['locked']],
    ])

    const run = await cli('promote', '--from', 'staging', '--to', 'production', '--json')
    expect(run.code).toBe(1)
    const set = json<ReleaseSet>(run)
    expect(set.state).toBe('partly')
    expect(set.steps.map((s) => [s.service, s.state])).toEqual([
      ['api', 'succeeded'],
      ['web', 'refused'],
      ['worker', 'refused'],
    ])
    expect(set.steps.find((s) => s.service === 'web')?.reason).toMatch(/does not descend/)
    expect(set.steps.find((s) => s.service === 'worker')?.reason).toMatch(/worker migration/)
    expect(triggers()).toEqual({ ...before, api: before.api + 1 })
    productionRuns({ api: moved.api.to })

    // Over the lock with a reason, worker goes (and its run records why); web is still refused.
    const over = await cli('promote', '--from', 'staging', '--to', 'production', '--override-lock', 'agreed', '--json')
    expect(over.code).toBe(1)
    const second = json<ReleaseSet>(over)
    expect(second.steps.map((s) => [s.service, s.state])).toEqual([
      ['api', 'skipped'],
      ['web', 'refused'],
      ['worker', 'succeeded'],
    ])
    const runs = json<DeployRun[]>(await cli('deploys', '--service', 'worker', '--json'))
    expect(runs[0]).toMatchObject({ setId: second.id, lockOverride: { reason: 'agreed' } })
    expect(triggers()).toEqual({ ...before, api: before.api + 1, worker: before.worker + 1 })
  }, 120_000)
})
