import { describe, expect, it } from 'vitest'
import { EventHub } from '../../../src/main/core/events'
import { noticeFor, RecordingNotifier, runDurationMs } from '../../../src/main/core/deploy/notifier'
import { nextDelay } from '../../../src/main/core/deploy/backoff'
import { activityOf } from '../../../src/main/core/deploy/run-queries'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { sha } from './fixtures'

const base: DeployRun = {
  id: '20240501T100000Z-0000abcd',
  service: 'web',
  environment: 'production',
  sha: sha(3),
  provider: 'jenkins',
  state: 'failed',
  requestedBy: 'ana',
  requestedAt: '2024-05-01T10:00:00.000Z',
  startedAt: '2024-05-01T10:00:05.000Z',
  endedAt: '2024-05-01T10:01:05.000Z',
  detail: 'UNSTABLE',
}

describe('RecordingNotifier', () => {
  it('records result, service, environment and duration, and shows a notice through the sink', () => {
    const hub = new EventHub()
    const shown: unknown[] = []
    hub.listen((event, payload) => event === 'notifications.shown' && shown.push(payload))
    const notifier = new RecordingNotifier(hub)
    notifier.runEnded(base)
    expect(notifier.ended).toEqual([
      { runId: base.id, service: 'web', environment: 'production', result: 'failed', durationMs: 60_000 },
    ])
    expect(shown).toEqual([
      { title: 'Deploy failed: web → production', body: '3333333 (UNSTABLE) in 60 s.', kind: 'failed', runId: base.id },
    ])
  })

  it('measures from the request when the provider never said when it started', () => {
    const { startedAt: _s, ...noStart } = base
    expect(runDurationMs(noStart)).toBe(65_000)
    expect(runDurationMs({ ...base, endedAt: undefined })).toBeUndefined()
    expect(noticeFor({ ...base, state: 'succeeded' }).kind).toBe('succeeded')
  })

  it('says "rolled back" when a rollback ends well, and names a failed rollback as one', () => {
    const rollback = { ...base, rollback: { reason: 'refunds wrong' } }
    expect(noticeFor({ ...rollback, state: 'succeeded' })).toMatchObject({
      title: 'Rolled back web → production',
      body: '3333333 is live again in 60 s.',
      kind: 'succeeded',
    })
    expect(noticeFor(rollback).title).toBe('Rollback failed: web → production')
  })
})

describe('activityOf', () => {
  it('lists runs in progress and the latest failure', () => {
    const running: DeployRun = { ...base, id: 'r', state: 'running', endedAt: undefined }
    const older: DeployRun = { ...base, id: 'old', endedAt: '2024-04-01T00:00:00.000Z' }
    const ok: DeployRun = { ...base, id: 'ok', state: 'succeeded', endedAt: '2024-06-01T00:00:00.000Z' }
    const activity = activityOf([older, base, running, ok])
    expect(activity.running.map((r) => r.id)).toEqual(['r'])
    expect(activity.lastFailed?.id).toBe(base.id)
  })
})

describe('nextDelay', () => {
  it('doubles while nothing changes, caps at the maximum, and resets after progress', () => {
    const poll = { initialMs: 100, maxMs: 1000 }
    expect(nextDelay(poll, 100, false)).toBe(200)
    expect(nextDelay(poll, 800, false)).toBe(1000)
    expect(nextDelay(poll, 1000, false)).toBe(1000)
    expect(nextDelay(poll, 1000, true)).toBe(100)
  })
})
