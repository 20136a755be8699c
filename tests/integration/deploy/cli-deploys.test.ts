import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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
import { startCli, type CliProcess, type CliRun } from '../../support/cli-process'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'

const JOB = '5a1c2d3e-0000-4000-8000-00000000d004'
const TOKEN = 'cli-deploys-rundeck-token-3c9e'

/*
 * The real CLI, a process per command as people run it, on one workspace: `promote --wait` says where a queued
 * Jenkins item stands, a refused trigger says why on stderr, an unknown run is settled with `trainyard settle`,
 * a first deploy needs `--first-deploy`, `trainyard deploys` in a second process leaves a live run alone, and
 * journal damage is said on stderr.
 */
describe('the CLI around deploys', () => {
  let dir: string
  let file: string
  let repo: TestRepo
  let git: GitHttpServer
  let rundeck: RundeckSimulator
  let jenkins: JenkinsSimulator
  let versions: VersionEndpoint
  const sha: string[] = []

  const start = (args: string[]): CliProcess =>
    startCli(args, {
      workspace: file,
      home: join(dir, 'home'),
      secrets: { rd: TOKEN, jk: DEFAULT_JENKINS_TOKEN },
    })
  const cli = (...args: string[]): Promise<CliRun> => start(args).done
  const json = <T>(run: CliRun): T => JSON.parse(run.stdout) as T
  const journal = (): string =>
    join(
      workspaceStateDir({ data: join(dir, 'home', 'data'), cache: join(dir, 'home', 'cache') }, file),
      'journal.jsonl',
    )

  beforeAll(async () => {
    dir = tmpDir('trainyard-cli-deploys-')
    repo = createRepo()
    for (let i = 0; i < 5; i++) sha.push(repo.commit(`change ${i}`, { 'f.txt': `${i}\n` }))
    mkdirSync(join(dir, 'served'))
    repo.git('clone', '--bare', repo.path, join(dir, 'served', 'billing.git'))
    git = await startGitHttpServer({ root: join(dir, 'served') })
    versions = await startVersionEndpoint()
    versions.set('billing', 'dev', sha[0] ?? '')
    versions.set('billing', 'staging', sha[0] ?? '')
    rundeck = await startRundeckSimulator({
      tokens: { [TOKEN]: 'cli' },
      jobs: [
        {
          id: JOB,
          name: 'deploy',
          project: 'acme',
          options: [{ name: 'sha', required: true }, { name: 'environment' }],
          allowConcurrent: true,
          durationMs: 300,
          log: ['deploying ${option.sha}', 'done'],
        },
      ],
    })
    jenkins = await startJenkinsSimulator({
      jobs: [
        {
          path: 'deploy-billing',
          parameters: [{ name: 'GIT_SHA' }, { name: 'TARGET' }],
          // A quiet period keeps the item queued for a while, as a busy Jenkins would.
          quietMs: 2500,
          durationMs: 300,
          log: ['building ${GIT_SHA} for ${TARGET}', 'Finished: SUCCESS'],
        },
      ],
    })
    file = join(dir, 'billing.trainyard.yaml')
    const probe = `{ http: "${versions.url}/{service}/{environment}/version.json", json: /sha }`
    const rundeckJob = `{ rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}", environment: "{environment}" } }`
    writeFileSync(
      file,
      `version: 1
name: CLI deploys
endpoints:
  rundeck: { kind: rundeck, url: ${rundeck.url}, apiVersion: 45, credential: rd, project: acme }
  jenkins: { kind: jenkins, url: ${jenkins.url}, user: ${DEFAULT_JENKINS_USER}, credential: jk }
services:
  - name: billing
    repo: ${git.repoUrl('billing')}
    defaultBranch: master
environments:
  dev: { probe: ${probe}, deploy: ${rundeckJob} }
  staging:
    probe: ${probe}
    deploy: { jenkins: jenkins, job: deploy-billing, parameters: { GIT_SHA: "{sha}", TARGET: "{environment}" } }
  production: { probe: ${probe}, deploy: ${rundeckJob} }
regions:
  eu: { label: Europe, path: [dev, staging, production] }
settings: { fetchIntervalMinutes: 0 }
`,
    )
    const fetched = await cli('fetch', '--json')
    expect(fetched.code, fetched.stderr).toBe(0)
  }, 120_000)

  afterAll(async () => {
    await Promise.all([git?.close(), rundeck?.close(), jenkins?.close(), versions?.close()])
    repo?.cleanup()
    removeDir(dir)
  })

  it('promote --wait says a Jenkins item is queued, and why, before its build runs', async () => {
    const run = await cli('promote', 'billing', sha[1] ?? '', '--to', 'staging', '--wait')
    expect(run.code, run.stderr).toBe(0)
    const lines = run.stdout.split('\n')
    const queued = lines.findIndex((l) => /^billing → staging: queued \(In the quiet period/.test(l))
    const built = lines.findIndex((l) => l.startsWith('building '))
    expect(queued, run.stdout).toBeGreaterThanOrEqual(0)
    expect(built).toBeGreaterThan(queued)
    expect(lines.at(-2)).toMatch(/^billing → staging: succeeded/)
  }, 60_000)

  it('a refused trigger says why on stderr', async () => {
    rundeck.faults.set({ forbidden: { count: 1, match: 'POST' } })
    const run = await cli('promote', 'billing', sha[1] ?? '', '--to', 'dev')
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^trainyard: billing → dev: the trigger was refused: .*"rd"/m)
    expect(run.stdout).toMatch(/: billing → dev: failed/)
  }, 60_000)

  it('an unknown run says how to settle it, and `trainyard settle` settles it', async () => {
    rundeck.faults.set({ reset: { count: 1, after: true, match: 'POST' } })
    const promoted = await cli('promote', 'billing', sha[1] ?? '', '--to', 'dev', '--json')
    expect(promoted.code).toBe(1)
    const run = json<DeployRun>(promoted)
    expect(run.state).toBe('unknown')
    expect(promoted.stderr).toContain(`trainyard settle ${run.id} --state succeeded|failed --note`)
    const settled = await cli('settle', run.id, '--state', 'succeeded', '--note', 'execution ran in Rundeck', '--json')
    expect(settled.code, settled.stderr).toBe(0)
    expect(json<DeployRun>(settled)).toMatchObject({
      id: run.id,
      state: 'succeeded',
      detail: expect.stringMatching(/^settled by .*: execution ran in Rundeck$/) as string,
    })
  }, 60_000)

  it('an environment nobody can read needs --first-deploy', async () => {
    const refused = await cli('promote', 'billing', sha[2] ?? '', '--to', 'production')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/cannot tell what production runs.*--first-deploy/)
    const triggers = rundeck.triggerCount(JOB)
    expect(triggers).toBeGreaterThan(0)
    const confirmed = await cli('promote', 'billing', sha[2] ?? '', '--to', 'production', '--first-deploy', '--wait')
    expect(confirmed.code, confirmed.stderr).toBe(0)
    expect(rundeck.triggerCount(JOB)).toBe(triggers + 1)
  }, 60_000)

  it('`trainyard deploys` in a second process leaves a run alone while its owner waits for the trigger', async () => {
    // The trigger's answer is held until the second process has listed.
    let answer: () => void = () => undefined
    rundeck.faults.set({ hold: { match: /^POST /, until: new Promise((resolve) => (answer = resolve)) } })
    try {
      const posts = rundeck.exchanges.filter((e) => e.method === 'POST').length
      const owner = start(['promote', 'billing', sha[3] ?? '', '--to', 'dev', '--wait'])
      while (rundeck.exchanges.filter((e) => e.method === 'POST').length === posts)
        await new Promise((r) => setTimeout(r, 20))
      const listed = await cli('deploys', '--json')
      expect(listed.code, listed.stderr).toBe(0)
      const live = json<DeployRun[]>(listed).find((r) => r.sha === sha[3])
      expect(live?.state).toBe('triggering')
      answer()
      const finished = await owner.done
      expect(finished.code, finished.stderr).toBe(0)
      const lines = readFileSync(journal(), 'utf8').trimEnd().split('\n')
      const unknown = lines.filter((l) => l.includes(live?.id ?? 'none') && l.includes('"state":"unknown"'))
      expect(unknown).toEqual([])
    } finally {
      rundeck.faults.set({ hold: undefined })
      answer()
    }
  }, 60_000)

  it('journal damage is said on stderr, and the bytes are kept', async () => {
    appendFileSync(journal(), 'this line was damaged\n')
    const listed = await cli('deploys')
    expect(listed.code).toBe(0)
    expect(listed.stderr).toMatch(
      /^trainyard: deploy journal: skipped an unreadable line at byte \d+ \(21 bytes\); its bytes are kept in journal\.jsonl\.damaged$/m,
    )
    expect(readFileSync(`${journal()}.damaged`, 'utf8')).toContain('\nthis line was damaged\n')
  }, 60_000)
})
