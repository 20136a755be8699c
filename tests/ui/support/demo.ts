import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommandInput, CommandName, CommandOutput } from '../../../src/shared/api/contract'
import type { Outcome } from '../../../src/shared/outcome'
import { startHost, type RunningHost } from './web-host'

/**
 * One demo and one web host per test run, started by Playwright's global setup (`global-setup.ts`) and shared by every
 * spec. The directory lives outside `test-results/` because a run empties that folder while the host still uses it;
 * the global setup names it and passes it on (TRAINYARD_UI_DEMO_DIR), so workers and the setup agree.
 */
export const demoDir = process.env.TRAINYARD_UI_DEMO_DIR ?? join(tmpdir(), `trainyard-ui-demo-${process.pid}`)

/** Removes demos of runs that have ended (their runner's pid is gone). */
export function sweepOldDemos(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = /^trainyard-ui-demo-(\d+)$/.exec(name)?.[1]
    if (pid && Number(pid) !== process.pid && !alive(Number(pid)))
      rmSync(join(tmpdir(), name), { recursive: true, force: true })
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A web host over the shared demo, with a typed way to call its API. */
export interface DemoHost extends RunningHost {
  call<C extends CommandName>(channel: C, input: CommandInput<C>): Promise<CommandOutput<C>>
}

/** What the global setup hands the workers about the shared host (TRAINYARD_UI_DEMO_HOST, JSON). */
interface SharedHost {
  url: string
  origin: string
  home: string
}

function withCalls(host: RunningHost): DemoHost {
  const token = new URL(host.url).searchParams.get('token') ?? ''
  const call = async <C extends CommandName>(channel: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const response = await fetch(`${host.origin}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trainyard-token': token },
      body: JSON.stringify(input),
    })
    const outcome = (await response.json()) as Outcome<CommandOutput<C>>
    if (!outcome.ok) throw new Error(`${channel}: ${outcome.error.code} ${outcome.error.message}`)
    return outcome.value
  }
  return { ...host, call }
}

/** Starts the run's demo host and waits until every service's clone is ready (the global setup calls this once). */
export async function launchDemoHost(): Promise<DemoHost> {
  const host = withCalls(await startHost(['--demo'], { TRAINYARD_DEMO_DIR: demoDir }))
  const deadline = Date.now() + 150_000
  for (;;) {
    const repos = await host.call('repos.status', {})
    if (repos.length > 0 && repos.every((repo) => repo.state === 'ready')) break
    if (Date.now() > deadline)
      throw new Error(`the demo's clones are not ready: ${repos.map((r) => `${r.service}:${r.state}`).join(' ')}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  process.env.TRAINYARD_UI_DEMO_HOST = JSON.stringify({
    url: host.url,
    origin: host.origin,
    home: host.home,
  } satisfies SharedHost)
  return host
}

/**
 * The run's shared demo host, with the demo's workspace open again (a spec may have opened another) and the app's
 * preferences back to a new user's. Its `stop` does
 * nothing: the global teardown stops the host. The demo's deploy history and version pages carry over from earlier
 * specs, so a spec asserts against what the API says now rather than against the demo's first state.
 */
export async function startDemoHost(): Promise<DemoHost> {
  const shared = process.env.TRAINYARD_UI_DEMO_HOST
  if (!shared) throw new Error('no shared demo host: run the UI tests through Playwright (its global setup starts one)')
  const { url, origin, home } = JSON.parse(shared) as SharedHost
  const host = withCalls({ url, origin, home, stderr: [], stop: () => Promise.resolve() })
  const demoFile = join(demoDir, 'trainyard.yaml')
  if ((await host.call('workspace.current', {}))?.file !== demoFile)
    await host.call('workspace.open', { file: demoFile })
  // A spec starts where a new user does: on the Environments view, in the system theme.
  await host.call('preferences.set', { lastView: 'environments', theme: 'system' })
  return host
}

/** The short SHA of the newest commit on master of a demo service whose message matches `grep` (git CLI as the oracle). */
export function demoCommit(service: string, grep: string): string {
  return demoGit(service, 'log', '--grep', grep, '-1', '--format=%h', 'master')
}

/** The short SHA of the hotfix branch's cherry-pick of a master commit (found by its `-x` trailer). */
export function demoCherryPick(service: string, commit: string): string {
  const full = demoGit(service, 'rev-parse', commit)
  return demoGit(service, 'log', '--all', '--grep', `cherry picked from commit ${full}`, '-1', '--format=%h')
}

/** Runs git in a demo service's origin repository and returns its trimmed output. */
export function demoGit(service: string, ...args: string[]): string {
  const repo = join(demoDir, 'origin', `${service}.git`)
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
}

/**
 * Writes a copy of the demo's workspace file (in the demo dir, so it keeps the demo's clones and journal) whose HTTP
 * probe of `environment` reads `path` (a template after the version server's address, e.g. `{service}/qa/version.json`)
 * or, given a whole URL, that URL.
 */
export function rewrittenProbeWorkspace(environment: string, path: string): string {
  const source = readFileSync(join(demoDir, 'trainyard.yaml'), 'utf8')
  const lines = source.split('\n')
  const at = lines.findIndex((line) => line === `  ${environment}:`)
  const probe = lines.findIndex((line, i) => i > at && line.trimStart().startsWith('probe: { http:'))
  if (at < 0 || probe < 0) throw new Error(`no http probe for ${environment} in the demo workspace`)
  const url = path.startsWith('http') ? path : (lines[probe] ?? '').replace(/.*"(http:\/\/[^/]+\/).*/, `$1${path}`)
  lines[probe] = `    probe: { http: "${url}", json: /sha }`
  const file = join(demoDir, `probe-${environment}.yaml`)
  writeFileSync(file, lines.join('\n'))
  return file
}

/**
 * A copy of the demo's workspace whose probe of `environment` points at a closed port: that column's cells must show
 * a probe error and nothing else may break.
 */
export function brokenProbeWorkspace(environment: string): string {
  // Port 9 (discard) on loopback: nothing listens there in a test machine.
  return rewrittenProbeWorkspace(environment, 'http://127.0.0.1:9/{service}/{environment}/version.json')
}

/** The URL of one of the demo's endpoints (`rundeck`, `jenkins`) as this run's workspace file names it. */
export function demoEndpointUrl(endpoint: string): string {
  const source = readFileSync(join(demoDir, 'trainyard.yaml'), 'utf8')
  const url = new RegExp(`^  ${endpoint}: \\{ kind: \\w+, url: ([^,]+),`, 'm').exec(source)?.[1]
  if (url === undefined) throw new Error(`no endpoint ${endpoint} in the demo workspace`)
  return url
}

/** A copy of the demo's workspace (keeping its clones and journal) whose endpoint `endpoint` is reached at `url`. */
export function rewrittenEndpointWorkspace(endpoint: string, url: string): string {
  const source = readFileSync(join(demoDir, 'trainyard.yaml'), 'utf8')
  const file = join(demoDir, `endpoint-${endpoint}.yaml`)
  writeFileSync(file, source.replace(demoEndpointUrl(endpoint), url))
  return file
}

/**
 * Deploys `sha` to a service's environment again (as a rollback when it goes backwards) and waits for it: a spec that
 * deploys puts the shared demo back the way it found it, for the specs after it.
 */
export async function putBack(host: DemoHost, service: string, environment: string, sha: string): Promise<void> {
  // Fresh probes: the cache may not have seen the spec's own deploy yet.
  const now = (await host.call('environments.matrix', { refresh: true })).cells.find(
    (c) => c.service === service && c.environment === environment,
  )
  // A version page reports a deploy a moment after it ended: the journal's last success says what is really there.
  const [last] = await host.call('deploys.list', { service, environment, state: 'succeeded', limit: 1 })
  if (now?.probe.sha === sha && (last === undefined || last.sha === sha)) return
  const preview = await host.call('deploys.preview', { service, environment, target: sha })
  const run = await host.call('deploys.start', {
    service,
    environment,
    target: sha,
    ...(preview.kind === 'rollback' ? { rollback: { reason: 'a UI spec puts the demo back' } } : {}),
  })
  const deadline = Date.now() + 60_000
  while ((await host.call('deploys.get', { runId: run.id })).run.state !== 'succeeded') {
    if (Date.now() > deadline) throw new Error(`putting ${service} ${environment} back did not succeed`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
