import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { appPaths } from '../../../src/main/core/app-paths'
import { workspaceStateDir } from '../../../src/main/core/runtime/workspace-runtime'
import type { AppError } from '../../../src/shared/errors'
import { runGit } from '../../support/git-repo'
import { COORDINATION_REF, finished, JOB, RUNDECK_TOKEN, TeamEstate, type Teammate } from './team-estate'

const CHILD = join(import.meta.dirname, 'fixtures', 'teammate-child.ts')
// Generous: a loaded 2-core CI machine spawns git http-backend for every request.
const WAIT = { timeout: 60_000, interval: 100 }

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeDefined()
  return error as AppError
}

describe('two teammates share locks and runs in progress through one coordination repository', () => {
  const estate = new TeamEstate()
  let rosa: Teammate
  let sam: Teammate
  const promote = { service: 'billing', environment: 'production-us' }

  beforeAll(async () => {
    await estate.start()
    rosa = await estate.teammate('rosa')
    sam = await estate.teammate('sam')
  }, 120_000)

  afterAll(() => estate.close())

  it('A locks production-us; B fetches and is refused, then overrides with a reason, which is recorded', async () => {
    const lock = await rosa.cockpit.invoke('coordination.lock', {
      scope: { kind: 'environment', environment: 'production-us' },
      reason: 'Incident 42: payments failing',
      link: 'https://status.acme.test/42',
    })
    expect(estate.serverRecords().get(`locks/${lock.id}.json`)).toMatchObject({
      reason: 'Incident 42: payments failing',
      by: { name: 'rosa', email: 'rosa@acme.test' },
    })

    const seen = await sam.cockpit.invoke('coordination.state', { refresh: true })
    expect(seen.mode).toBe('shared')
    expect(seen.locks).toEqual([expect.objectContaining({ id: lock.id, state: 'active' })])
    expect(seen.held).toEqual([{ region: 'us', locks: [lock.id] }])

    const request = { ...promote, target: estate.shas.next }
    const preview = await sam.cockpit.invoke('deploys.preview', request)
    expect(preview.blockers.map((b) => b.code)).toEqual(['locked'])
    expect(preview.blockers[0]?.message).toContain('locked by rosa <rosa@acme.test>')
    expect(preview.coordination?.locks.map((l) => l.id)).toEqual([lock.id])
    const triggers = estate.rundeck.triggerCount(JOB)
    const refused = await refusal(sam.cockpit.invoke('deploys.start', request))
    expect(refused.code).toBe('locked')
    expect(refused.message).toContain('Incident 42')
    expect(refused.message).toContain('--override-lock')
    expect(estate.rundeck.triggerCount(JOB)).toBe(triggers)

    const run = await sam.cockpit.invoke('deploys.start', {
      ...request,
      overrideLock: { reason: 'Hotfix for incident 42, agreed with rosa' },
    })
    expect(run.lockOverride).toMatchObject({
      reason: 'Hotfix for incident 42, agreed with rosa',
      by: { name: 'sam' },
      locks: [lock.id],
    })
    expect(estate.rundeck.triggerCount(JOB)).toBe(triggers + 1)
    const journal = join(workspaceStateDir(appPaths({ TRAINYARD_HOME: sam.home }), estate.file), 'journal.jsonl')
    expect(readFileSync(journal, 'utf8')).toContain('Hotfix for incident 42, agreed with rosa')
    // The coordination log has it too, for the whole team.
    await vi.waitFor(() => {
      const log = [...estate.serverRecords()].filter(([path]) => path.startsWith('log/'))
      expect(log.map(([, entry]) => entry)).toEqual([
        expect.objectContaining({
          runId: run.id,
          reason: 'Hotfix for incident 42, agreed with rosa',
          locks: [lock.id],
        }),
      ])
    }, WAIT)
    expect((await finished(sam.cockpit, run)).state).toBe('succeeded')
    // Published while it ran, removed once it ended.
    const subjects = () => runGit(estate.coordinationGitdir, ['log', '--format=%s', COORDINATION_REF])
    const shipped = `billing ${estate.shas.next.slice(0, 7)} to production-us`
    await vi.waitFor(() => expect(subjects()).toContain(`succeeded: ${shipped}`), WAIT)
    expect(subjects()).toContain(`deploying ${shipped}`)
    expect([...estate.serverRecords().keys()].filter((p) => p.startsWith('runs/'))).toEqual([])
    await rosa.cockpit.invoke('coordination.unlock', { lockId: lock.id })
  })

  it('both write at the same moment and nothing is lost', async () => {
    const scope = { kind: 'service' as const, service: 'billing', environment: 'qa' }
    const writes = []
    for (let i = 0; i < 4; i++) {
      writes.push(rosa.cockpit.invoke('coordination.lock', { scope, reason: `rosa ${i}` }))
      writes.push(
        sam.cockpit.invoke('coordination.signoff', {
          service: 'billing',
          environment: 'qa',
          target: estate.shas.signed,
          note: `sam ${i}`,
        }),
      )
    }
    const written = await Promise.all(writes)
    const onServer = estate.serverRecords()
    for (const record of written) {
      const path = 'scope' in record ? `locks/${record.id}.json` : `signoffs/${record.id}.json`
      expect(onServer.has(path), path).toBe(true)
    }
    for (const mate of [rosa, sam]) {
      const state = await mate.cockpit.invoke('coordination.state', { refresh: true })
      expect(
        state.locks
          .filter((l) => l.reason.startsWith('rosa '))
          .map((l) => l.reason)
          .sort(),
      ).toEqual(['rosa 0', 'rosa 1', 'rosa 2', 'rosa 3'])
      expect(state.signoffs.map((s) => s.note).sort()).toEqual(['sam 0', 'sam 1', 'sam 2', 'sam 3'])
    }
    for (const lock of written.filter((r) => 'scope' in r))
      await rosa.cockpit.invoke('coordination.unlock', { lockId: lock.id })
  })

  it("A's expired lock stops applying by itself", async () => {
    const lock = await rosa.cockpit.invoke('coordination.lock', {
      scope: { kind: 'service', service: 'billing', environment: 'production-us' },
      reason: 'Freeze until the audit is done',
      expiresInMinutes: 30,
    })
    const request = { ...promote, target: estate.shas.next }
    await sam.cockpit.invoke('coordination.state', { refresh: true })
    expect((await sam.cockpit.invoke('deploys.preview', request)).blockers.map((b) => b.code)).toEqual(['locked'])
    sam.ahead = 31
    try {
      const state = await sam.cockpit.invoke('coordination.state', {})
      expect(state.locks.find((l) => l.id === lock.id)?.state).toBe('expired')
      expect(state.held).toEqual([])
      expect((await sam.cockpit.invoke('deploys.preview', request)).blockers).toEqual([])
    } finally {
      sam.ahead = 0
    }
    await rosa.cockpit.invoke('coordination.unlock', { lockId: lock.id })
  })

  it("A's Trainyard is killed mid-deploy: B sees who is deploying, then a stale entry that does not block", async () => {
    estate.rundeck.setJob(JOB, { durationMs: 6000 })
    let child: ChildProcess | undefined
    try {
      const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: {
          ...process.env,
          TRAINYARD_HOME: join(estate.dir, 'homes', 'rosa-laptop'),
          TY_WORKSPACE: estate.file,
          TY_NAME: 'rosa',
          TY_TOKEN: RUNDECK_TOKEN,
          TY_TARGET: estate.shas.signed,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = proc
      let stdout = ''
      let stderr = ''
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      await vi.waitFor(() => expect(stdout, stderr).toContain('published'), WAIT)
      proc.kill('SIGKILL')
      await new Promise((resolve) => proc.once('close', resolve))

      const state = await sam.cockpit.invoke('coordination.state', { refresh: true })
      expect(state.runs, JSON.stringify(state.runs, null, 1)).toEqual([
        expect.objectContaining({ service: 'billing', environment: 'production-us', stale: false, mine: false }),
      ])
      expect(state.runs[0]?.by.name).toBe('rosa')
      const request = { ...promote, target: estate.shas.next }
      const live = await sam.cockpit.invoke('deploys.preview', request)
      expect(live.blockers.map((b) => b.code)).toEqual(['deploy-conflict'])
      expect(live.blockers[0]?.message).toContain('rosa <rosa@acme.test> is deploying billing')

      // Past staleAfterMinutes (1) without a heartbeat: shown as stale, and it no longer refuses anything.
      sam.ahead = 2
      const stale = await sam.cockpit.invoke('deploys.preview', request)
      expect(stale.blockers).toEqual([])
      expect(stale.coordination?.others).toEqual([expect.objectContaining({ stale: true })])
      // The provider's own run of rosa's deploy ends by itself; then sam deploys over the stale entry.
      await vi.waitFor(
        () => expect(estate.rundeck.executions(JOB).every((e) => e.status !== 'running')).toBe(true),
        WAIT,
      )
      estate.rundeck.setJob(JOB, { durationMs: 200 })
      const run = await sam.cockpit.invoke('deploys.start', request)
      expect((await finished(sam.cockpit, run)).state).toBe('succeeded')
      // Sam's own entry goes once the run ended; rosa's stays, stale, until her Trainyard tidies it.
      await vi.waitFor(async () => {
        const left = (await sam.cockpit.invoke('coordination.state', { refresh: true })).runs
        expect(left.map((r) => [r.by.name, r.stale])).toEqual([['rosa', true]])
      }, WAIT)
    } finally {
      sam.ahead = 0
      estate.rundeck.setJob(JOB, { durationMs: 200 })
      child?.kill('SIGKILL')
    }
  }, 120_000)
})

describe('a coordination repository that cannot take a write', () => {
  const estate = new TeamEstate()
  let rosa: Teammate

  beforeAll(async () => {
    await estate.start()
    rosa = await estate.teammate('rosa')
    await rosa.cockpit.invoke('coordination.lock', {
      scope: { kind: 'region', region: 'us' },
      reason: 'US freeze for the migration',
    })
  }, 120_000)

  afterAll(() => estate.close())

  it('a push without rights fails clearly and leaves local state unchanged', async () => {
    const before = await rosa.cockpit.invoke('coordination.state', {})
    const head = runGit(estate.coordinationGitdir, ['rev-parse', COORDINATION_REF]).trim()
    runGit(estate.coordinationGitdir, ['config', 'http.receivepack', 'false'])
    try {
      const error = await refusal(
        rosa.cockpit.invoke('coordination.lock', {
          scope: { kind: 'environment', environment: 'qa' },
          reason: 'should not be shared',
        }),
      )
      expect(error.code).toBe('forbidden')
      expect(error.message).toMatch(/^not shared: .*no write access.*; nothing changed\.$/)
    } finally {
      runGit(estate.coordinationGitdir, ['config', '--unset', 'http.receivepack'])
    }
    expect(runGit(estate.coordinationGitdir, ['rev-parse', COORDINATION_REF]).trim()).toBe(head)
    const after = await rosa.cockpit.invoke('coordination.state', {})
    expect(after.locks).toEqual(before.locks)
  })

  it('unreachable: reads come from the last fetch, writes are refused clearly and nothing is queued', async () => {
    await estate.git.close()
    const state = await rosa.cockpit.invoke('coordination.state', { refresh: true })
    expect(state.error?.code).toBe('endpoint-unreachable')
    expect(state.locks.map((l) => l.reason)).toEqual(['US freeze for the migration'])
    const error = await refusal(
      rosa.cockpit.invoke('coordination.lock', { scope: { kind: 'workspace' }, reason: 'offline' }),
    )
    expect(error.code).toBe('endpoint-unreachable')
    expect(error.message).toBe('not shared: the coordination repository is unreachable; nothing changed.')
    const preview = await rosa.cockpit.invoke('deploys.preview', {
      service: 'billing',
      environment: 'production-us',
      target: estate.shas.next,
    })
    // The region's lock still refuses, judged by the last fetch, and the preview says so.
    expect(preview.blockers.map((b) => b.code)).toEqual(['locked'])
    expect(preview.coordination?.note).toContain('As of the last fetch')
    const again = await rosa.cockpit.invoke('coordination.state', {})
    expect(again.locks.map((l) => l.reason)).toEqual(['US freeze for the migration'])
  })
})
