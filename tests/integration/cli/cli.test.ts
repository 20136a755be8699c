import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import type { Matrix, WhereAnswer } from '../../../src/shared/models/environments'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'

const run = promisify(execFile)
const root = join(import.meta.dirname, '../../..')
const bin = join(root, 'bin/trainyard.mjs')
const JOB = '5a1c2d3e-0000-4000-8000-00000000a001'
const TOKEN = 'cli-test-rundeck-token-7f3a9c'

/** Runs the CLI as a user would, with its own TRAINYARD_HOME; never throws on a non-zero exit. */
async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      timeout: 120_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('the trainyard CLI', () => {
  const dir = tmpDir('trainyard-cli-')
  const env = { TRAINYARD_HOME: join(dir, 'home') }

  afterAll(() => removeDir(dir))

  it('prints its help with every command and exits 0', async () => {
    const { code, stdout } = await cli(['--help'], env)
    expect(code).toBe(0)
    for (const command of [
      'status',
      'where',
      'compare',
      'fetch',
      'promote',
      'deploys',
      'abort',
      'validate',
      'credentials set',
      'demo',
    ])
      expect(stdout).toContain(command)
  })

  it('refuses an unknown command with exit 2 and says where to look', async () => {
    const { code, stderr } = await cli(['deploy-everything'], env)
    expect(code).toBe(2)
    expect(stderr).toContain('trainyard --help')
  })

  it('validates a workspace file: file:line:column problems and exit 1, JSON on request', async () => {
    const file = join(dir, 'bad.trainyard.yaml')
    writeFileSync(
      file,
      'version: 1\nname: Broken\nservices:\n  - name: billing\n    repo: not a url\nenvironmentz: {}\n',
    )
    const text = await cli(['validate', file], env)
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:\\d+: `))
    expect(text.stdout).toMatch(/:6:1: .*environmentz/)
    const json = await cli(['validate', file, '--json'], env)
    const parsed = JSON.parse(json.stdout) as { valid: boolean; problems: { line: number }[] }
    expect(parsed.valid).toBe(false)
    expect(parsed.problems.map((p) => p.line)).toEqual(expect.arrayContaining([5, 6]))
    const good = await cli(['validate', join(root, 'examples/acme.trainyard.yaml')], env)
    expect(good).toMatchObject({ code: 0 })
  })

  it('says how to open a workspace when none is given', async () => {
    const { code, stderr } = await cli(['status'], { TRAINYARD_HOME: join(dir, 'empty-home') })
    expect(code).toBe(1)
    expect(stderr).toContain('--workspace')
  })
})

describe('the CLI end to end: keychain, fetch, status, where, promote', () => {
  let repo: TestRepo
  let git: GitHttpServer
  let rundeck: RundeckSimulator
  let versions: VersionEndpoint
  let dir: string
  let shas: { first: string; second: string; third: string }

  beforeAll(async () => {
    dir = tmpDir('trainyard-cli-e2e-')
    repo = createRepo()
    const first = repo.commit('Start billing', { 'app.txt': 'one\n' })
    const second = repo.commit('Merge pull request #12 from acme/refunds\n\nRefunds', { 'app.txt': 'one\ntwo\n' })
    const third = repo.commit('Faster invoices (#13)', { 'app.txt': 'one\ntwo\nthree\n' })
    shas = { first, second, third }
    mkdirSync(join(dir, 'served'))
    repo.git('clone', '--bare', repo.path, join(dir, 'served', 'billing.git'))
    git = await startGitHttpServer({ root: join(dir, 'served') })
    versions = await startVersionEndpoint()
    versions.set('billing', 'dev', second)
    versions.set('billing', 'production', first)
    rundeck = await startRundeckSimulator({
      tokens: { [TOKEN]: 'cli' },
      jobs: [
        {
          id: JOB,
          name: 'deploy',
          project: 'acme',
          options: [{ name: 'sha', required: true }, { name: 'environment' }],
          durationMs: 300,
          log: ['deploying ${option.sha}', 'done'],
        },
      ],
    })
    writeFileSync(
      join(dir, 'team.trainyard.yaml'),
      `version: 1
name: CLI test
endpoints:
  rundeck: { kind: rundeck, url: ${rundeck.url}, apiVersion: 45, credential: cli-rundeck, project: acme }
services:
  - name: billing
    repo: ${git.repoUrl('billing')}
    defaultBranch: master
environments:
  dev:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}", environment: "{environment}" } }
  production:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}", environment: "{environment}" } }
regions:
  eu: { label: Europe, path: [dev, production] }
`,
    )
  })

  afterAll(async () => {
    await Promise.all([git?.close(), rundeck?.close(), versions?.close()])
    repo?.cleanup()
    removeDir(dir)
  })

  it('stores the token from stdin in a real Secret Service and promotes through Rundeck', async () => {
    const home = join(dir, 'home')
    mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 })
    mkdirSync(join(home, 'xdg'), { recursive: true })
    const out = join(dir, 'out')
    mkdirSync(out)
    const ty = `node ${bin} --workspace ${join(dir, 'team.trainyard.yaml')}`
    // One D-Bus session with an unlocked gnome-keyring for the whole conversation, as on a desktop.
    const steps: [string, string][] = [
      ['set', `printf '${TOKEN}' | ${ty} credentials set cli-rundeck`],
      ['list', `${ty} credentials list --json`],
      ['fetch', `${ty} fetch --json`],
      ['status', `${ty} status --json`],
      ['where', `${ty} where ${shas.second.slice(0, 8)} --json`],
      ['promote', `${ty} promote billing ${shas.third.slice(0, 10)} --to dev --wait --json`],
      ['backwards', `${ty} promote billing ${shas.first} --to dev --json`],
      ['deploys', `${ty} deploys --json`],
    ]
    const script = [
      'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      ...steps.map(
        ([name, command]) => `${command} > ${out}/${name}.json 2> ${out}/${name}.err; echo $? > ${out}/${name}.code`,
      ),
    ].join('; ')
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TRAINYARD_HOME: home,
      HOME: home,
      XDG_DATA_HOME: join(home, 'xdg'),
      XDG_RUNTIME_DIR: join(home, 'run'),
    }
    delete childEnv.DBUS_SESSION_BUS_ADDRESS
    await run('dbus-run-session', ['--', 'sh', '-c', script], { cwd: root, env: childEnv, timeout: 240_000 })

    const code = (name: string) => readFileSync(join(out, `${name}.code`), 'utf8').trim()
    const read = <T>(name: string): T => JSON.parse(readFileSync(join(out, name), 'utf8')) as T
    for (const step of ['set', 'list', 'fetch', 'status', 'where', 'promote', 'deploys']) {
      expect(code(step), `${step}: ${readFileSync(join(out, `${step}.err`), 'utf8')}`).toBe('0')
    }
    expect(read<{ name: string; state: string }[]>('list.json')).toEqual([
      expect.objectContaining({ name: 'cli-rundeck', state: 'set' }),
    ])

    const matrix = read<Matrix>('status.json')
    const cell = (env: string) => matrix.cells.find((c) => c.environment === env)
    expect(cell('dev')?.probe.sha).toBe(shas.second)
    expect(cell('production')?.probe.sha).toBe(shas.first)
    expect(cell('production')).toMatchObject({ previous: 'dev', behindPrevious: 1, aheadOfPrevious: 0 })

    const where = read<WhereAnswer>('where.json')
    expect(where.resolved).toEqual([expect.objectContaining({ service: 'billing', sha: shas.second })])
    expect(where.cells.map((c) => [c.environment, c.state])).toEqual([
      ['dev', 'deployed'],
      ['production', 'not-deployed'],
    ])

    expect(read<DeployRun>('promote.json')).toMatchObject({
      service: 'billing',
      environment: 'dev',
      sha: shas.third,
      state: 'succeeded',
    })
    expect(rundeck.triggerCount(JOB)).toBe(1)
    expect(rundeck.triggers[0]?.options).toMatchObject({ sha: shas.third, environment: 'dev' })

    // Backwards without --rollback: refused by the guard, nothing sent.
    expect(code('backwards')).toBe('1')
    expect(readFileSync(join(out, 'backwards.err'), 'utf8')).toMatch(/descend|backwards|rollback/i)
    expect(read<DeployRun[]>('deploys.json').map((r) => r.state)).toEqual(['succeeded'])

    // The token never reached a file Trainyard wrote or printed.
    for (const name of steps.flatMap(([step]) => [`${step}.json`, `${step}.err`])) {
      expect(readFileSync(join(out, name), 'utf8')).not.toContain(TOKEN)
    }
    const { stdout: grep } = await run('grep', ['-rl', TOKEN, home]).catch((e: { stdout?: string }) => ({
      stdout: e.stdout ?? '',
    }))
    expect(grep.split('\n').filter((f) => f && !f.includes('/xdg/keyrings/'))).toEqual([])
  }, 300_000)
})
