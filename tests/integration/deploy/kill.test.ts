import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'

const TOKEN = 'rdk-kill-test-secret-7f3a9c'
const CHILD = join(import.meta.dirname, 'fixtures', 'kill-child.ts')
const LOG = Array.from({ length: 40 }, (_, i) => `deploy step ${i + 1} of 40 for \${option.SHA}`)

interface ChildResult {
  signal: NodeJS.Signals | null
  code: number | null
  stdout: string
  stderr: string
}

interface ChildReport {
  runs: { run: DeployRun; log: string[] }[]
  notes: string[]
  notified: { runId: string; result: string }[]
}

/** Runs the runner in a child process (`node --import tsx`), the way a real crash would hit it. */
function child(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, ...env },
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.on('error', reject)
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

describe('a deploy runner killed with SIGKILL and restarted', () => {
  let sim: RundeckSimulator
  let repo: TestRepo
  const dirs: string[] = []
  let current: string
  let target: string
  // The simulator's clock; the mid-poll test jumps it forward while no runner is alive.
  let clockOffset = 0

  beforeAll(async () => {
    repo = createRepo()
    current = repo.commit('Live in qa', { a: '1' })
    target = repo.commit('Next change (#7)', { a: '2' })
    // job-polled runs for a minute, so the crash lands mid-run without any race; the others take 1.2 s.
    const jobs = ['guarded', 'journaled', 'triggered', 'polled', 'none'].map((step) => ({
      id: `job-${step}`,
      name: `deploy-${step}`,
      project: 'web',
      durationMs: step === 'polled' ? 60_000 : 1200,
      log: LOG,
      options: [{ name: 'SHA', required: true }],
    }))
    sim = await startRundeckSimulator({ jobs, tokens: { [TOKEN]: 'cockpit' }, clock: () => Date.now() + clockOffset })
  })
  afterAll(async () => {
    await sim.close()
    repo.cleanup()
    for (const d of dirs) removeDir(d)
  })

  const envFor = (dir: string, job: string, mode: 'start' | 'resume', killAt = ''): Record<string, string> => ({
    TY_DIR: dir,
    TY_RUNDECK_URL: sim.url,
    TY_TOKEN: TOKEN,
    TY_JOB: job,
    TY_REPO: repo.path,
    TY_TARGET: target,
    TY_CURRENT: current,
    TY_MODE: mode,
    TY_KILL_AT: killAt,
    TY_KILL_AFTER_LOG: '1',
  })

  /** Kills a runner at `step`, restarts it, and returns what the restarted runner reports. */
  async function crashAndResume(
    step: string,
    meanwhile: (dir: string) => void = () => {},
  ): Promise<{ report: ChildReport; dir: string }> {
    const dir = tmpDir()
    dirs.push(dir)
    const crashed = await child(envFor(dir, `job-${step}`, 'start', step))
    expect(crashed.stderr).toBe('')
    expect(crashed.signal).toBe('SIGKILL')
    meanwhile(dir)
    const resumed = await child(envFor(dir, `job-${step}`, 'resume'))
    expect(resumed.stderr).toBe('')
    expect(resumed.code).toBe(0)
    return { report: JSON.parse(resumed.stdout) as ChildReport, dir }
  }

  /** Every file the runners wrote, plus their reports: none may hold the token. */
  function expectNoSecret(dir: string, report: ChildReport): void {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name))
    expect(files.some((f) => f.endsWith('journal.jsonl'))).toBe(true)
    for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(TOKEN.slice(0, 12))
    expect(JSON.stringify(report)).not.toContain(TOKEN.slice(0, 12))
  }

  it('before the trigger: nothing was sent and nothing is left to resume', async () => {
    const { report, dir } = await crashAndResume('guarded')
    expect(sim.triggerCount('job-guarded')).toBe(0)
    expect(report.runs).toEqual([])
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(true)
  })

  it('after the journal write, before the trigger: the run is unknown and is never sent', async () => {
    const { report, dir } = await crashAndResume('journaled')
    expect(sim.triggerCount('job-journaled')).toBe(0)
    expect(report.runs.map((r) => r.run.state)).toEqual(['unknown'])
    expectNoSecret(dir, report)
  })

  it('after the trigger answered, before its ref was journaled: one trigger, run unknown', async () => {
    const { report, dir } = await crashAndResume('triggered')
    expect(sim.triggerCount('job-triggered')).toBe(1)
    expect(report.runs.map((r) => r.run.state)).toEqual(['unknown'])
    // Restarting again still sends nothing.
    const again = await child(envFor(dir, 'job-triggered', 'resume'))
    expect(again.code).toBe(0)
    expect(sim.triggerCount('job-triggered')).toBe(1)
  })

  it('mid-poll: one trigger, the restarted runner follows the run to its true end with the whole log', async () => {
    const { report, dir } = await crashAndResume('polled', (dir) => {
      // At the crash the run was running and part of its log was kept.
      const [execution] = sim.executions('job-polled')
      expect(execution?.status).toBe('running')
      const kept = readdirSync(join(dir, 'deploy-logs')).map((f) =>
        readFileSync(join(dir, 'deploy-logs', f), 'utf8')
          .trimEnd()
          .split('\n'),
      )
      expect(kept).toHaveLength(1)
      expect(kept[0]?.length).toBeGreaterThan(0)
      expect(kept[0]?.length).toBeLessThan(LOG.length)
      const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { kind: string }).kind)
      expect(lines).not.toContain('ended')
      clockOffset += 120_000
    })
    expect(sim.triggerCount('job-polled')).toBe(1)
    const [execution] = sim.executions('job-polled')
    expect(report.runs).toHaveLength(1)
    const [only] = report.runs
    expect(only?.run.state).toBe(execution?.status)
    expect(only?.run.state).toBe('succeeded')
    expect(only?.log).toEqual(execution?.log)
    expect(only?.log).toHaveLength(LOG.length)
    expect(report.notified).toEqual([expect.objectContaining({ runId: only?.run.id, result: 'succeeded' })])
    expectNoSecret(dir, report)
  })

  it('not killed: the run succeeds in one process with one trigger', async () => {
    const dir = tmpDir()
    dirs.push(dir)
    const done = await child(envFor(dir, 'job-none', 'start'))
    expect(done.stderr).toBe('')
    const report = JSON.parse(done.stdout) as ChildReport
    expect(report.runs.map((r) => r.run.state)).toEqual(['succeeded'])
    expect(sim.triggerCount('job-none')).toBe(1)
    expectNoSecret(dir, report)
  })
})
