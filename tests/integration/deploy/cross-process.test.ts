import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { BASE_TIME, createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { RunnerProcess } from './fixtures/runner-process'

const TOKEN = 'rdk-race-test-token-51c0'
const JOB = 'job-race'
const ROUNDS = 50

/*
 * Two real processes with their own runners on one journal (the app and a CLI, or two CLIs), promoting the same
 * service × environment at the same moment against a Rundeck simulator that answers triggers slowly and runs
 * each deploy until the test lets it end. Triggers are counted at the simulator.
 */
describe('two processes promoting the same service × environment', () => {
  let repo: TestRepo
  let chain: string[]
  let sim: RundeckSimulator
  let clockOffset = 0
  const dirs: string[] = []
  const children: RunnerProcess[] = []

  beforeAll(async () => {
    repo = createRepo()
    // One straight line of commits: round i promotes chain[2i+2] and its parent chain[2i+1] at once; the later
    // tests promote the few after those, so each is a forward move whatever ran before.
    chain = repo.fastImport(
      Array.from({ length: 2 * ROUNDS + 5 }, (_, i) => ({
        ref: 'refs/heads/master',
        parents: i === 0 ? [] : [i - 1],
        message: `Change ${i}`,
        time: BASE_TIME + i * 60,
        files: { 'n.txt': `${i}\n` },
      })),
    )
    sim = await startRundeckSimulator({
      jobs: [
        {
          id: JOB,
          name: 'deploy-web',
          project: 'web',
          options: [{ name: 'SHA', required: true }],
          // Two runs at once are allowed, as for a job shared by environments: only Trainyard can refuse the second.
          allowConcurrent: true,
          durationMs: 60_000,
          log: ['deploying ${option.SHA}', 'done'],
        },
      ],
      tokens: { [TOKEN]: 'cockpit' },
      history: [
        { jobId: JOB, options: { SHA: chain[0] ?? '' }, status: 'succeeded', startedAt: Date.now() - 3_600_000 },
      ],
      clock: () => Date.now() + clockOffset,
    })
    // A slow trigger answer: both processes are past their checks before Rundeck has either run.
    sim.faults.set({ latency: { ms: 80, match: /^POST / } })
  })
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()))
    await sim.close()
    repo.cleanup()
    for (const d of dirs) removeDir(d)
  })

  const spawnPair = async (dir: string, extra: Record<string, string> = {}): Promise<RunnerProcess[]> => {
    const env = { TY_DIR: dir, TY_RUNDECK_URL: sim.url, TY_TOKEN: TOKEN, TY_JOB: JOB, TY_REPO: repo.path, ...extra }
    const pair = [new RunnerProcess(env), new RunnerProcess(env)]
    children.push(...pair)
    await Promise.all(pair.map((c) => c.ready))
    return pair
  }
  const extra = (n: number): string => chain[2 * ROUNDS + 1 + n] as string
  const isAncestor = (a: string, b: string): boolean => {
    try {
      repo.git('merge-base', '--is-ancestor', a, b)
      return true
    } catch {
      return false
    }
  }
  /** What the environment runs: the newest succeeded execution's SHA, as the Rundeck probe reads it. */
  const running = (): string =>
    sim
      .executions(JOB)
      .filter((e) => e.status === 'succeeded')
      .at(-1)?.options.SHA ?? ''

  it(`${ROUNDS} rounds: exactly one trigger each, the loser refused, and the environment never goes backwards`, async () => {
    const dir = tmpDir()
    dirs.push(dir)
    // Compacting every few runs: the other process must notice the rewritten journal each time.
    const [a, b] = (await spawnPair(dir, { TY_COMPACT_ABOVE: '12' })) as [RunnerProcess, RunnerProcess]
    let current = running()
    for (let round = 0; round < ROUNDS; round++) {
      const parent = chain[2 * round + 1] as string
      const child = chain[2 * round + 2] as string
      const before = sim.triggerCount(JOB)
      // Who asks for the child commit alternates, so each process wins some rounds.
      const [first, second] = round % 2 === 0 ? [child, parent] : [parent, child]
      const replies = await Promise.all([
        a.ask<DeployRun>('promote', { target: first }),
        b.ask<DeployRun>('promote', { target: second }),
      ])
      expect(sim.triggerCount(JOB) - before, `round ${round}: ${JSON.stringify(replies)}`).toBe(1)
      const won = replies.flatMap((r, i) => (r.ok ? [{ run: r.value, by: i === 0 ? a : b }] : []))
      expect(won).toHaveLength(1)
      expect(replies.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'deploy-conflict' })
      // Let the deploy end and wait until its owner has recorded it.
      clockOffset += 120_000
      const winner = won[0] as { run: DeployRun; by: RunnerProcess }
      expect((await winner.by.value<DeployRun>('wait', { runId: winner.run.id })).state).toBe('succeeded')
      const now = running()
      expect(now).toBe(winner.run.sha)
      expect(isAncestor(current, now), `round ${round}: ${current} → ${now}`).toBe(true)
      current = now
    }
    const [fromA, fromB] = await Promise.all([a.value<DeployRun[]>('list'), b.value<DeployRun[]>('list')])
    expect(fromA).toEqual(fromB)
    expect(fromA).toHaveLength(ROUNDS)
    expect(fromA.every((r) => r.state === 'succeeded')).toBe(true)
    expect(await a.value<string[]>('notes')).toEqual([])
    expect(await b.value<string[]>('notes')).toEqual([])
    // Compacted along the way: one line per run, not one per event.
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').trimEnd().split('\n').length).toBeLessThan(3 * ROUNDS)
    expect([await a.exit(), await b.exit()]).toEqual([0, 0])
    expect(a.stderr + b.stderr).toBe('')
  }, 120_000)

  /** Holds the simulator's answers to triggers until the returned function is called (which also lifts the hold). */
  const holdTriggers = (): (() => void) => {
    let answer: () => void = () => undefined
    sim.faults.set({ hold: { match: /^POST /, until: new Promise((resolve) => (answer = resolve)) } })
    return () => {
      sim.faults.set({ hold: undefined })
      answer()
    }
  }
  /** Resolves once the simulator has received a trigger it has not answered yet (held). */
  const triggerArrived = async (count: number): Promise<void> => {
    for (let waited = 0; sim.exchanges.filter((e) => e.method === 'POST').length < count; waited += 10) {
      if (waited > 20_000) throw new Error('the trigger never reached the simulator')
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  const journalKinds = (dir: string): string[] =>
    readFileSync(join(dir, 'journal.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => {
        const line = JSON.parse(l) as { kind: string; change?: { state?: string } }
        return line.change?.state ? `${line.kind}:${line.change.state}` : line.kind
      })

  it('a second process never settles a live run of another: it leaves it alone while its owner waits for the trigger', async () => {
    const dir = tmpDir()
    dirs.push(dir)
    // Whatever an earlier test left running at the simulator ends now.
    clockOffset += 120_000
    const [owner, other] = (await spawnPair(dir)) as [RunnerProcess, RunnerProcess]
    const answer = holdTriggers()
    try {
      const posts = sim.exchanges.filter((e) => e.method === 'POST').length
      const promoting = owner.ask<DeployRun>('promote', { target: extra(0), environment: 'dev' })
      await triggerArrived(posts + 1)
      // What `trainyard deploys` (or the app opening the workspace) does in the other process: resume, then list.
      expect(await other.value<DeployRun[]>('resume')).toEqual([])
      const listed = await other.value<DeployRun[]>('list')
      expect(listed.map((r) => [r.environment, r.state])).toContainEqual(['dev', 'triggering'])
      // Nor may it settle it by hand, or promote over it.
      const refused = await other.ask('promote', { target: extra(0), environment: 'dev' })
      expect(refused).toMatchObject({ ok: false, code: 'deploy-conflict' })
      answer()
      const started = await promoting
      expect(started).toMatchObject({ ok: true, value: { state: 'queued' } })
      clockOffset += 120_000
      const runId = started.ok ? started.value.id : ''
      expect((await owner.value<DeployRun>('wait', { runId })).state).toBe('succeeded')
      expect(journalKinds(dir).filter((k) => k.endsWith(':unknown'))).toEqual([])
    } finally {
      answer()
    }
  }, 60_000)

  it('a run whose owner died is taken over by the next process: followed to its end, or unknown if the trigger was in flight', async () => {
    const dir = tmpDir()
    dirs.push(dir)
    // Whatever an earlier test left running at the simulator ends now.
    clockOffset += 120_000
    const [owner, other] = (await spawnPair(dir)) as [RunnerProcess, RunnerProcess]
    // Killed while following a running deploy: the other process polls it to its true end, without a trigger.
    const triggers = sim.triggerCount(JOB)
    const started = await owner.value<DeployRun>('promote', { target: extra(1), environment: 'dev' })
    await owner.kill()
    const taken = await other.value<DeployRun[]>('resume')
    expect(taken.map((r) => r.id)).toEqual([started.id])
    expect(['queued', 'running']).toContain(taken[0]?.state)
    clockOffset += 120_000
    expect((await other.value<DeployRun>('wait', { runId: started.id })).state).toBe('succeeded')
    expect(sim.triggerCount(JOB) - triggers).toBe(1)

    // Killed while its trigger was in flight: nobody can know whether it reached Rundeck, so it becomes unknown.
    const third = new RunnerProcess({
      TY_DIR: dir,
      TY_RUNDECK_URL: sim.url,
      TY_TOKEN: TOKEN,
      TY_JOB: JOB,
      TY_REPO: repo.path,
    })
    children.push(third)
    await third.ready
    const answer = holdTriggers()
    const sent = sim.triggerCount(JOB)
    try {
      const posts = sim.exchanges.filter((e) => e.method === 'POST').length
      void third.ask('promote', { target: extra(2), environment: 'qa' })
      await triggerArrived(posts + 1)
      await third.kill()
    } finally {
      answer()
    }
    // The trigger did reach Rundeck (its answer went nowhere): wait until it has run, so later tests start clean.
    while (sim.triggerCount(JOB) === sent) await new Promise((r) => setTimeout(r, 10))
    clockOffset += 120_000
    const resumed = await other.value<DeployRun[]>('resume')
    expect(resumed.map((r) => r.environment)).toEqual(['qa'])
    expect((await other.value<DeployRun[]>('list')).find((r) => r.environment === 'qa')?.state).toBe('unknown')
  }, 60_000)

  it('an abort from another process reaches the provider, and the owner records the end', async () => {
    const dir = tmpDir()
    dirs.push(dir)
    clockOffset += 120_000
    const [owner, other] = (await spawnPair(dir)) as [RunnerProcess, RunnerProcess]
    const started = await owner.value<DeployRun>('promote', { target: extra(3), environment: 'dev' })
    const aborted = await other.value<DeployRun>('abort', { runId: started.id })
    expect(aborted.state).toBe('aborted')
    expect((await owner.value<DeployRun>('wait', { runId: started.id })).state).toBe('aborted')
    expect(sim.executions(JOB).find((e) => e.options.SHA === extra(3))?.status).toBe('aborted')
    // The abort was asked for by the other process; the end was written once, by the owner.
    expect(journalKinds(dir).filter((k) => k === 'abort-requested' || k.startsWith('ended'))).toEqual([
      'abort-requested',
      'ended:aborted',
    ])
  }, 60_000)
})
