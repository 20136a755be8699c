import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventHub } from '../../../src/main/core/events'
import { RecordingNotifier } from '../../../src/main/core/deploy/notifier'
import { DeployJournal } from '../../../src/main/core/deploy/journal'
import { DeployRunner, type DeployRunnerOptions } from '../../../src/main/core/deploy/runner'
import { AppError } from '../../../src/shared/errors'
import type { EventName } from '../../../src/shared/api/contract'
import { removeDir, tmpDir } from '../../support/git-repo'
import { FakeProvider } from './fake-provider'
import { lineHistory, sha, workspace } from './fixtures'

describe('DeployRunner with a fake provider', () => {
  let dir: string
  let provider: FakeProvider
  let current: Record<string, string | undefined>
  let events: { event: EventName; payload: unknown }[]
  let notifier: RecordingNotifier
  let runners: DeployRunner[]

  const make = (extra: Partial<DeployRunnerOptions> = {}): DeployRunner => {
    const hub = new EventHub()
    hub.listen((event, payload) => events.push({ event, payload }))
    const runner = new DeployRunner({
      journalFile: join(dir, 'journal.jsonl'),
      workspace: workspace(),
      providerFor: (service, environment) => ({
        provider,
        request: {
          service,
          environment,
          job: { provider: 'rundeck', endpoint: 'rundeck', jobId: 'job-1', options: { SHA: '{sha}' } },
        },
      }),
      history: lineHistory(6),
      currentSha: (_service, environment) => Promise.resolve(current[environment]),
      notifier,
      events: hub,
      clock: () => new Date('2024-05-01T10:00:00Z'),
      user: 'ana',
      poll: { initialMs: 1, maxMs: 4 },
      ...extra,
    })
    runners.push(runner)
    return runner
  }

  beforeEach(() => {
    dir = tmpDir()
    provider = new FakeProvider()
    current = { dev: sha(2), qa: sha(2), production: sha(1) }
    events = []
    notifier = new RecordingNotifier()
    runners = []
  })
  afterEach(async () => {
    for (const r of runners) await r.close()
    removeDir(dir)
  })

  it('triggers once, follows the run to its end, keeps the log and notifies', async () => {
    const runner = make()
    const started = await runner.start({ service: 'web', environment: 'qa', target: sha(4) })
    expect(started).toMatchObject({
      state: 'queued',
      sha: sha(4),
      previousSha: sha(2),
      requestedBy: 'ana',
      url: 'http://rundeck.test/execution/1',
    })
    const ended = await runner.waitForEnd(started.id)
    expect(ended.state).toBe('succeeded')
    expect(provider.triggers).toHaveLength(1)
    expect(provider.triggers[0]?.sha).toBe(sha(4))
    expect(provider.triggers[0]?.job).toEqual({
      provider: 'rundeck',
      endpoint: 'rundeck',
      jobId: 'job-1',
      options: { SHA: sha(4) },
    })
    expect(runner.get(started.id).log).toEqual(provider.lines)
    const logged = events
      .filter((e) => e.event === 'deploys.logged')
      .flatMap((e) => (e.payload as { lines: string[] }).lines)
    expect(logged).toEqual(provider.lines)
    const states = events
      .filter((e) => e.event === 'deploys.changed')
      .map((e) => (e.payload as { run: { state: string } }).run.state)
    expect(states[0]).toBe('triggering')
    expect(states.at(-1)).toBe('succeeded')
    expect(notifier.ended).toEqual([
      { runId: started.id, service: 'web', environment: 'qa', result: 'succeeded', durationMs: 90_000 },
    ])
    const file = readFileSync(join(dir, 'deploy-logs', `${started.id}.log`), 'utf8')
    expect(file).toBe(provider.lines.map((l) => `${l}\n`).join(''))
  })

  it('journals requested and triggering before the provider is called', async () => {
    const kinds: string[] = []
    const runner = make({
      onStep: (step) => {
        if (step === 'journaled')
          kinds.push(
            ...readFileSync(join(dir, 'journal.jsonl'), 'utf8')
              .trimEnd()
              .split('\n')
              .map((l) => (JSON.parse(l) as { kind: string }).kind),
          )
      },
    })
    const run = await runner.start({ service: 'web', environment: 'qa', target: sha(3) })
    expect(kinds).toEqual(['requested', 'triggering'])
    await runner.waitForEnd(run.id)
  })

  it('keeps polling through failed status reads', async () => {
    provider.statusFailures = 3
    const runner = make()
    const run = await runner.start({ service: 'web', environment: 'dev', target: sha(3) })
    expect((await runner.waitForEnd(run.id)).state).toBe('succeeded')
    expect(provider.triggers).toHaveLength(1)
  })

  it('gives a run up as unknown when the provider keeps saying it does not exist', async () => {
    provider.forgotten = true
    const runner = make()
    const run = await runner.start({ service: 'web', environment: 'qa', target: sha(3) })
    const ended = await runner.waitForEnd(run.id)
    expect(ended.state).toBe('unknown')
    expect(ended.detail).toMatch(/no longer knows this run/)
    expect(notifier.ended).toEqual([])
    await expect(runner.start({ service: 'web', environment: 'qa', target: sha(3) })).rejects.toMatchObject({
      code: 'deploy-conflict',
    })
    expect(provider.triggers).toHaveLength(1)
  })

  it('refuses a second promote to the same environment while one is active', async () => {
    const runner = make()
    const [first, second] = await Promise.allSettled([
      runner.start({ service: 'web', environment: 'qa', target: sha(3) }),
      runner.start({ service: 'web', environment: 'qa', target: sha(4) }),
    ])
    expect(first.status).toBe('fulfilled')
    expect(second.status === 'rejected' && (second.reason as AppError).code).toBe('deploy-conflict')
    expect(provider.triggers).toHaveLength(1)
    if (first.status === 'fulfilled') await runner.waitForEnd(first.value.id)
    const again = await runner.start({ service: 'web', environment: 'qa', target: sha(4) })
    await runner.waitForEnd(again.id)
    expect(provider.triggers).toHaveLength(2)
  })

  it('refuses a job whose template names an unknown variable before journaling or triggering anything', async () => {
    const runner = make({
      providerFor: (service, environment) => ({
        provider,
        request: {
          service,
          environment,
          job: {
            provider: 'rundeck',
            endpoint: 'rundeck',
            jobId: 'job-1',
            options: { SHA: '{sha}', TICKET: '{ticket}' },
          },
        },
      }),
    })
    await expect(runner.start({ service: 'web', environment: 'qa', target: sha(3) })).rejects.toMatchObject({
      code: 'invalid-workspace',
    })
    expect(provider.triggers).toHaveLength(0)
    expect(runner.list()).toEqual([])
  })

  it('refuses while the provider reports a running execution for the environment', async () => {
    provider.runningRefs = [{ provider: 'rundeck', id: '99' }]
    const runner = make()
    await expect(runner.start({ service: 'web', environment: 'qa', target: sha(3) })).rejects.toMatchObject({
      code: 'deploy-conflict',
    })
    expect(provider.triggers).toHaveLength(0)
    expect(runner.list()).toEqual([])
  })

  it('marks a run failed when the provider refuses the trigger, unknown when the answer is lost', async () => {
    const runner = make()
    provider.triggerError = new AppError('forbidden', 'Not authorized for action "Run" for Job ID job-1')
    const refused = await runner.start({ service: 'web', environment: 'qa', target: sha(3) })
    expect(refused).toMatchObject({ state: 'failed', error: { code: 'forbidden' } })
    provider.triggerError = new AppError('endpoint-unreachable', 'connection reset')
    const lost = await runner.start({ service: 'web', environment: 'dev', target: sha(3) })
    expect(lost.state).toBe('unknown')
    expect(provider.triggers).toHaveLength(2)
    // Unknown blocks the environment until a person settles it; it is never re-sent.
    await expect(runner.start({ service: 'web', environment: 'dev', target: sha(3) })).rejects.toMatchObject({
      code: 'deploy-conflict',
    })
    expect(runner.resolve(lost.id, 'failed', 'no execution in Rundeck')).toMatchObject({ state: 'failed' })
    const retried = await runner.start({ service: 'web', environment: 'dev', target: sha(3) })
    await runner.waitForEnd(retried.id)
    expect(provider.triggers).toHaveLength(3)
  })

  it('aborts through the provider and ends when it confirms', async () => {
    provider.script = ['queued', ...Array<'running'>(1000).fill('running'), 'succeeded']
    const runner = make()
    const run = await runner.start({ service: 'web', environment: 'qa', target: sha(3) })
    const aborted = await runner.abort(run.id)
    expect(aborted.state).toBe('aborted')
    expect(provider.aborts).toEqual(['1'])
    expect(notifier.ended.at(-1)).toMatchObject({ result: 'aborted', runId: run.id })
  })

  it('resumes polling a triggered run after a restart without triggering again', async () => {
    provider.script = ['queued', 'running', 'running', 'running', 'succeeded']
    let polls = 0
    let closed: Promise<void> | undefined
    // Closing from the hook stops the poller right after its second round, whatever the timers do.
    const first: DeployRunner = make({
      onStep: (step) => {
        if (step === 'polled' && ++polls === 2) closed = first.close()
      },
    })
    const run = await first.start({ service: 'web', environment: 'qa', target: sha(3) })
    await first.waitForEnd(run.id)
    await closed
    expect(first.list()[0]?.state).toBe('running')
    expect(first.get(run.id).log).toEqual(provider.lines.slice(0, 4))

    const second = make()
    expect(second.resume().map((r) => r.id)).toEqual([run.id])
    expect((await second.waitForEnd(run.id)).state).toBe('succeeded')
    expect(provider.triggers).toHaveLength(1)
    expect(second.get(run.id).log).toEqual(provider.lines)
  })

  it('on resume, fails a run that was requested but never reached the triggering line, and sends nothing', async () => {
    const journal = DeployJournal.open(join(dir, 'journal.jsonl'))
    const run = {
      id: '20240501T100000Z-00000001',
      service: 'web',
      environment: 'qa',
      sha: sha(3),
      provider: 'rundeck' as const,
      state: 'pending' as const,
      requestedBy: 'ana',
      requestedAt: '2024-05-01T10:00:00.000Z',
    }
    journal.append({ kind: 'requested', run }, new Date(run.requestedAt))
    journal.close()
    const runner = make()
    expect(runner.resume().map((r) => r.id)).toEqual([run.id])
    expect(runner.get(run.id).run).toMatchObject({ state: 'failed', error: { code: 'cancelled' } })
    expect(provider.triggers).toHaveLength(0)
    // Nothing holds the environment afterwards.
    const next = await runner.start({ service: 'web', environment: 'qa', target: sha(3) })
    await runner.waitForEnd(next.id)
  })

  it('lists an active run as a blocker in the preview', async () => {
    provider.script = ['queued', ...Array<'running'>(1000).fill('running'), 'succeeded']
    const runner = make()
    const run = await runner.start({ service: 'web', environment: 'qa', target: sha(3) })
    const preview = await runner.preview({ service: 'web', environment: 'qa', target: sha(4) })
    expect(preview.blockers).toEqual([expect.objectContaining({ code: 'deploy-conflict', details: { runId: run.id } })])
    await runner.abort(run.id)
  })

  it('previews the commits a promote ships, the last deploy and blockers', async () => {
    const runner = make()
    const run = await runner.start({ service: 'web', environment: 'qa', target: sha(3), requestedBy: 'bo' })
    await runner.waitForEnd(run.id)
    current.qa = sha(3)
    const preview = await runner.preview({ service: 'web', environment: 'qa', target: sha(5) })
    expect(preview).toMatchObject({
      kind: 'forward',
      currentSha: sha(3),
      blockers: [],
      lastDeploy: { by: 'bo', sha: sha(3), state: 'succeeded' },
    })
    expect(preview.commits.map((c) => [c.sha, c.pr, c.author.name])).toEqual([
      [sha(5), 105, 'Author 5'],
      [sha(4), 104, 'Author 4'],
    ])
    const back = await runner.preview({ service: 'web', environment: 'qa', target: sha(1) })
    expect(back.kind).toBe('rollback')
    expect(back.removes.map((c) => c.sha)).toEqual([sha(3), sha(2)])
    expect(back.blockers.map((b) => b.code)).toEqual(['not-a-descendant'])
  })

  it('requires a previous success in the environment before production', async () => {
    const runner = make()
    current.qa = sha(2)
    const refused = await runner
      .start({ service: 'web', environment: 'production', target: sha(4) })
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).code).toBe('deploy-conflict')
    expect((refused as AppError).message).toMatch(/requires a successful deploy to qa/)
    // qa runs a descendant of sha(2): it shipped there.
    const ok = await runner.start({ service: 'web', environment: 'production', target: sha(2) })
    await runner.waitForEnd(ok.id)
    // A journal success of sha(4) in qa also counts.
    const qa = await runner.start({ service: 'web', environment: 'qa', target: sha(4) })
    await runner.waitForEnd(qa.id)
    current.production = sha(2)
    const prod = await runner.start({ service: 'web', environment: 'production', target: sha(4) })
    expect((await runner.waitForEnd(prod.id)).state).toBe('succeeded')
  })

  it('sees what another runner on the same journal does, as remote changes, and never follows its runs', async () => {
    provider.script = ['queued', ...Array<'running'>(1000).fill('running'), 'succeeded']
    const mine = make()
    const theirs = make()
    const run = await theirs.start({ service: 'web', environment: 'qa', target: sha(3) })
    events = []
    expect(mine.resume()).toEqual([])
    expect(mine.list().map((r) => [r.id, r.state])).toEqual([[run.id, 'queued']])
    expect(events).toContainEqual({
      event: 'deploys.changed',
      payload: { run: expect.objectContaining({ id: run.id, state: 'queued' }) as unknown, remote: true },
    })
    // Its target is taken while the other runner follows the run.
    await expect(mine.start({ service: 'web', environment: 'qa', target: sha(4) })).rejects.toMatchObject({
      code: 'deploy-conflict',
    })
    expect((await theirs.abort(run.id)).state).toBe('aborted')
    mine.list()
    expect(events.filter((e) => e.event === 'deploys.changed').at(-1)).toMatchObject({
      payload: { run: { id: run.id, state: 'aborted' }, remote: true },
    })
    expect(provider.triggers).toHaveLength(1)
  })

  it('a current SHA the probe cannot read now is the newest of its last answer, the journal and the ledger, else a confirmed first deploy', async () => {
    current = {}
    let ledger: { sha: string; at: string } | undefined
    let probed: { sha: string; at: string } | undefined
    const runner = make({ ledgerSha: () => Promise.resolve(ledger), lastProbed: () => Promise.resolve(probed) })
    const preview = (target: string) => runner.preview({ service: 'web', environment: 'qa', target })
    expect(await preview(sha(2))).toMatchObject({
      kind: 'first-deploy',
      blockers: [expect.objectContaining({ code: 'current-unknown' })],
    })
    await expect(runner.start({ service: 'web', environment: 'qa', target: sha(2) })).rejects.toMatchObject({
      code: 'current-unknown',
    })
    ledger = { sha: sha(3), at: '2024-05-01T09:00:00Z' }
    expect(await preview(sha(2))).toMatchObject({ kind: 'rollback', currentSha: sha(3), currentSource: 'github' })
    ledger = undefined
    const first = await runner.start({ service: 'web', environment: 'qa', target: sha(4), firstDeploy: true })
    expect((await runner.waitForEnd(first.id)).state).toBe('succeeded')
    // The journal's success (ended 10:01:30) is newer than the ledger's and the probe's older answers.
    ledger = { sha: sha(1), at: '2024-05-01T09:00:00Z' }
    probed = { sha: sha(2), at: '2024-05-01T08:00:00Z' }
    expect(await preview(sha(2))).toMatchObject({
      kind: 'rollback',
      currentSha: sha(4),
      currentSource: 'journal',
      blockers: [expect.objectContaining({ code: 'not-a-descendant' })],
    })
    // A teammate deployed since (GitHub knows), and later still the probe saw something else: the newest wins.
    ledger = { sha: sha(5), at: '2024-05-01T11:00:00Z' }
    expect(await preview(sha(4))).toMatchObject({ kind: 'rollback', currentSha: sha(5), currentSource: 'github' })
    probed = { sha: sha(6), at: '2024-05-01T12:00:00Z' }
    expect(await preview(sha(5))).toMatchObject({ kind: 'rollback', currentSha: sha(6), currentSource: 'cache' })
    expect(provider.triggers).toHaveLength(1)
  })
})
