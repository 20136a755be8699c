import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import type { Bench, BenchFigure } from './harness'
import { EventHub } from '../src/main/core/events'
import type { AncestryPort } from '../src/main/core/deploy/guard'
import { RecordingNotifier } from '../src/main/core/deploy/notifier'
import { DeployRunner, type ProviderBinding } from '../src/main/core/deploy/runner'
import type { DeployProvider } from '../src/main/core/deploy/provider'
import type { Workspace } from '../src/shared/models/workspace'
import { rundeckBinding } from '../tests/integration/deploy/fixtures/rundeck-binding'
import { removeDir, tmpDir } from '../tests/support/git-repo'

/*
 * 50 deploy runs at once, 1,000 log lines each, against the Rundeck simulator running in a child
 * process (so this process's CPU time is the runner's, not the simulator's). Reference: a bare
 * fetch loop that makes the same number of HTTP reads (and parses the JSON) against the same
 * simulator, i.e. the least any client could spend to learn the same things.
 */
const RUNS = 50
const LINES = 1000
const TOKEN = 'rdk-bench-token-5d1e'
const SIM_PATH = join(import.meta.dirname, '..', 'src', 'main', 'simulators', 'rundeck-sim.ts')

/** Starts the Rundeck simulator in a child process; resolves with its URL and a stop function. */
async function simulatorProcess(): Promise<{ url: string; stop: () => void; child: ChildProcess }> {
  const code = `(async () => {
    const { startRundeckSimulator } = await import(${JSON.stringify(SIM_PATH)})
    const jobs = Array.from({ length: ${RUNS} }, (_, i) => ({ id: 'job-' + i, name: 'deploy-' + i, project: 'web', durationMs: 1500,
      log: Array.from({ length: ${LINES} }, (_, n) => 'svc-' + i + ' line ' + (n + 1) + ': rolling out \${option.SHA}'), options: [{ name: 'SHA', required: true }] }))
    const sim = await startRundeckSimulator({ jobs, tokens: { ${JSON.stringify(TOKEN)}: 'cockpit' } })
    process.stdout.write(sim.url + '\\n')
    process.stdin.resume()
    process.stdin.on('end', () => sim.close().then(() => process.exit(0)))
  })()`
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] })
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve),
  )
  return { url: first.trim(), stop: () => child.stdin?.end(), child }
}

/** Wraps a provider to count the HTTP requests the runner makes (log reads apart). */
function counting(binding: ProviderBinding, count: { requests: number; logReads: number }): ProviderBinding {
  const p = binding.provider
  const provider: DeployProvider = {
    trigger: (r) => ((count.requests += 1), p.trigger(r)),
    status: (ref) => ((count.requests += 1), p.status(ref)),
    log: (ref, c) => ((count.requests += 1), (count.logReads += 1), p.log(ref, c)),
    abort: (ref) => ((count.requests += 1), p.abort(ref)),
    running: (r) => ((count.requests += 1), p.running(r)),
  }
  return { provider, request: binding.request }
}

function benchWorkspace(): Workspace {
  return {
    file: '/bench/workspace.yaml',
    name: 'bench',
    services: Array.from({ length: RUNS }, (_, i) => ({
      name: `svc-${i}`,
      repo: { url: `http://git.test/svc-${i}.git` },
      defaultBranch: 'master',
      environments: {},
    })),
    environments: [{ name: 'qa', probe: { kind: 'none' }, requirePreviousSuccess: false }],
    regions: [{ name: 'all', label: 'All', path: ['qa'], production: ['qa'] }],
    endpoints: {},
    settings: { fetchIntervalMinutes: 0, probeTimeoutMs: 1000, probeConcurrency: 8 },
  }
}

/** Every SHA resolves to itself and is pushed; confirmed first deploys only, so the guard costs nothing here. */
const flatHistory: AncestryPort = {
  resolve: (_s, input) => input,
  isAncestor: () => true,
  range: () => [],
  unpushed: () => undefined,
}

async function runnerPass(url: string): Promise<{
  cpuMs: number
  wallMs: number
  peakMB: number
  lines: number
  events: number
  requests: number
  logReads: number
  journalLines: number
}> {
  const dir = tmpDir('trainyard-bench-')
  const count = { requests: 0, logReads: 0 }
  const hub = new EventHub()
  let lines = 0
  let events = 0
  hub.listen((event, payload) => {
    if (event !== 'deploys.logged') return
    events += 1
    lines += (payload as { lines: string[] }).lines.length
  })
  const runner = new DeployRunner({
    journalFile: join(dir, 'journal.jsonl'),
    workspace: benchWorkspace(),
    providerFor: (service, environment) =>
      counting(rundeckBinding({ url, token: TOKEN, jobId: `job-${service.slice(4)}`, service, environment }), count),
    history: flatHistory,
    currentSha: () => Promise.resolve(undefined),
    notifier: new RecordingNotifier(),
    events: hub,
    clock: () => new Date(),
    user: 'bench',
    poll: { initialMs: 100, maxMs: 1000 },
  })
  global.gc?.()
  const baseHeap = process.memoryUsage().heapUsed
  let peak = baseHeap
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20)
  const cpu = process.cpuUsage()
  const start = performance.now()
  const sha = 'a'.repeat(40)
  const runs = await Promise.all(
    Array.from({ length: RUNS }, (_, i) =>
      runner.start({ service: `svc-${i}`, environment: 'qa', target: sha, firstDeploy: true }),
    ),
  )
  const ended = await Promise.all(runs.map((r) => runner.waitForEnd(r.id)))
  const wallMs = performance.now() - start
  const used = process.cpuUsage(cpu)
  clearInterval(sampler)
  await runner.close()
  const journalLines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').length - 1
  removeDir(dir)
  if (ended.some((r) => r.state !== 'succeeded') || lines !== RUNS * LINES)
    throw new Error(`bench runs did not all succeed with full logs (${lines} lines)`)
  return {
    cpuMs: (used.user + used.system) / 1000,
    wallMs,
    peakMB: (peak - baseHeap) / 1e6,
    lines,
    events,
    requests: count.requests,
    logReads: count.logReads,
    journalLines,
  }
}

/**
 * The reference: as many GETs as the runner made requests, in a bare loop, JSON parsed, 50 at a time;
 * as many of them are log reads as the runner's, each returning the runner's average lines per read.
 */
async function fetchPass(
  url: string,
  requests: number,
  logReads: number,
  linesPerRead: number,
): Promise<{ cpuMs: number }> {
  const headers = { 'X-Rundeck-Auth-Token': TOKEN, Accept: 'application/json' }
  // The runner pass left executions 1…RUNS in the simulator, finished, with their whole logs.
  const id = 1
  const cpu = process.cpuUsage()
  let left = requests
  let logsLeft = logReads
  await Promise.all(
    Array.from({ length: RUNS }, async (_, worker) => {
      while (left > 0) {
        left -= 1
        const readLog = logsLeft > 0 && (left % 2 === 0 || left <= logsLeft)
        if (readLog) logsLeft -= 1
        const path = readLog
          ? `/execution/${id + worker}/output?offset=0&maxlines=${linesPerRead}`
          : `/execution/${id + worker}`
        await (await fetch(`${url}/api/45${path}`, { headers })).json()
      }
    }),
  )
  const used = process.cpuUsage(cpu)
  return { cpuMs: (used.user + used.system) / 1000 }
}

export const bench: Bench = {
  title: `Deploy runner: ${RUNS} concurrent runs × ${LINES} log lines against the Rundeck simulator`,
  async run(): Promise<BenchFigure[]> {
    const sim = await simulatorProcess()
    try {
      const r = await runnerPass(sim.url)
      const ref = await fetchPass(sim.url, r.requests, r.logReads, Math.round(r.lines / r.logReads))
      return [
        {
          name: `runner CPU time (${r.requests} provider requests, ${r.logReads} of them log reads)`,
          value: r.cpuMs,
          unit: 'ms',
          reference: { name: `bare fetch loop, same requests`, value: ref.cpuMs },
          goal: '≤ 3× the bare fetch loop',
        },
        { name: 'runner heap growth at peak', value: r.peakMB, unit: 'MB', goal: `≤ 50 MB for ${RUNS * LINES} lines` },
        {
          name: `log lines delivered to the EventSink (${r.events} events, wall ${Math.round(r.wallMs)} ms)`,
          value: r.lines / (r.wallMs / 1000),
          unit: 'lines/s',
        },
        { name: 'journal lines written, each fsynced', value: r.journalLines, unit: 'count' },
        { name: 'deploys.logged events delivered', value: r.events / (r.wallMs / 1000), unit: 'events/s' },
      ]
    } finally {
      sim.stop()
    }
  },
}
