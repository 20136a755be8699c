import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import type { CommandInput, CommandName, CommandOutput } from '../../../src/shared/api/contract'
import type { Outcome } from '../../../src/shared/outcome'
import { startHost, type RunningHost } from './web-host'

/**
 * One demo per test run: the directory is named after the Playwright runner (every worker's parent), so the first host
 * of a run makes the demo (history, origins, clones) and every later host of the run reuses it. It lives outside
 * `test-results/` because a run empties that folder while another may still be using it.
 */
export const demoDir = join(tmpdir(), `trainyard-ui-demo-${process.ppid}`)

// Demos of runs that have ended are removed by the next run.
for (const name of readdirSync(tmpdir())) {
  const pid = /^trainyard-ui-demo-(\d+)$/.exec(name)?.[1]
  if (pid && Number(pid) !== process.ppid && !alive(Number(pid)))
    rmSync(join(tmpdir(), name), { recursive: true, force: true })
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

/** Starts a host on the shared demo and waits until every service's clone is ready, so the matrix has commit details. */
export async function startDemoHost(): Promise<DemoHost> {
  const host = await startHost(['--demo'], { TRAINYARD_DEMO_DIR: demoDir })
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
  const states = async () => (await call('repos.status', {})).map((repo) => `${repo.service}:${repo.state}`).join(' ')
  await expect.poll(states, { timeout: 150_000, intervals: [500] }).toMatch(/^(\S+:ready ?)+$/)
  return { ...host, call }
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
