import { toErrorData } from '../../../shared/errors'
import { isRefusal } from './deploy-request'
import type { DeployJournal, JournalRecord } from './journal'

/**
 * Records a trigger that threw: `failed` when the error proves the provider refused (nothing started), else
 * `unknown` (it may have started). Returns which, so the caller can notify on a final run.
 */
export function recordTriggerFailure(
  journal: DeployJournal,
  record: JournalRecord,
  error: unknown,
  now: Date,
): 'failed' | 'unknown' {
  const data = toErrorData(error)
  const runId = record.run.id
  if (isRefusal(data.code)) {
    journal.append({ kind: 'ended', runId, change: { state: 'failed', endedAt: now.toISOString(), error: data } }, now)
    return 'failed'
  }
  const detail = 'the trigger got no clear answer from the provider: check it, then settle this run'
  journal.append({ kind: 'changed', runId, change: { state: 'unknown', detail, error: data } }, now)
  return 'unknown'
}

/**
 * What the owner of a run that no process follows writes, when the run cannot be polled: `unknown` when the
 * trigger may have reached the provider (a `triggering` line), `failed` when nothing was sent. Only the holder of
 * the run's target lock calls this, so a live run of another process is never touched.
 */
export function settleUnfollowable(
  journal: DeployJournal,
  record: JournalRecord,
  hasBinding: boolean,
  now: Date,
): void {
  const { run } = record
  if (record.triggering) {
    const why = hasBinding
      ? 'Trainyard stopped before learning whether the trigger reached the provider'
      : 'the workspace no longer has a deploy job for it'
    journal.append(
      {
        kind: 'changed',
        runId: run.id,
        change: { state: 'unknown', detail: `${why}: check the provider, then settle this run` },
      },
      now,
    )
    return
  }
  journal.append(
    {
      kind: 'ended',
      runId: run.id,
      change: {
        state: 'failed',
        endedAt: now.toISOString(),
        error: { code: 'cancelled', message: 'Trainyard stopped before triggering this deploy; nothing was sent.' },
      },
    },
    now,
  )
}
