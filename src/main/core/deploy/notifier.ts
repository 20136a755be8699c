import type { Notice } from '../../../shared/api/views'
import type { SharedRunView } from '../../../shared/models/coordination'
import type { DeployRun, DeployState } from '../../../shared/models/deploys'
import type { ReleaseSet } from '../../../shared/models/release-sets'
import type { EventSink } from '../events'

/** What the tray shows: the runs in progress and the last one that failed. */
export interface DeployActivity {
  running: DeployRun[]
  lastFailed?: DeployRun
}

/** The port to the desktop's notifications and tray; the Electron shell implements it. */
export interface Notifier {
  /** A run reached a final state (succeeded, failed, aborted). */
  runEnded(run: DeployRun): void
  /** The set of running runs, or the last failure, changed. */
  activity(activity: DeployActivity): void
  /** A set promotion ended, or holds for a person: one notification for the whole set (its steps' runs have none). */
  setEnded(set: ReleaseSet): void
  /** Something a person asked to be told about happened (a watch fired). */
  notice?(notice: Notice): void
  /** Teammates' runs in progress changed (stale ones included, marked). */
  others?(runs: SharedRunView[]): void
}

/** One ended run as a notification reports it. */
export interface RunEndedRecord {
  runId: string
  service: string
  environment: string
  result: DeployState
  /** From the provider's start (or the request) to the end, in ms. */
  durationMs?: number
}

/** How long a run took, from its start (or request) to its end, in ms; undefined while it runs. */
export function runDurationMs(run: DeployRun): number | undefined {
  if (!run.endedAt) return undefined
  const start = Date.parse(run.startedAt ?? run.requestedAt)
  const end = Date.parse(run.endedAt)
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : Math.max(0, end - start)
}

/** The notification a person sees when a run ends. */
export function noticeFor(run: DeployRun): Notice {
  const what = `${run.service} → ${run.environment}`
  const short = run.sha.slice(0, 7)
  const seconds = runDurationMs(run)
  const took = seconds === undefined ? '' : ` in ${Math.round(seconds / 1000)} s`
  switch (run.state) {
    case 'succeeded':
      return run.rollback
        ? { title: `Rolled back ${what}`, body: `${short} is live again${took}.`, kind: 'succeeded', runId: run.id }
        : { title: `Deployed ${what}`, body: `${short} is live${took}.`, kind: 'succeeded', runId: run.id }
    case 'failed':
    case 'aborted':
    case 'unknown':
      return {
        title: `${run.rollback ? 'Rollback' : 'Deploy'} ${run.state}: ${what}`,
        body: `${short}${run.detail ? ` (${run.detail})` : ''}${took}.`,
        kind: 'failed',
        runId: run.id,
      }
    case 'pending':
    case 'triggering':
    case 'queued':
    case 'running':
      return { title: `Deploying ${what}`, body: `${short} is ${run.state}.`, kind: 'info', runId: run.id }
  }
}

/** The notification a person sees when a set ends (or holds): how it ended, and how many steps deployed. */
export function noticeForSet(set: ReleaseSet): Notice {
  const deployed = set.steps.filter((s) => s.state === 'succeeded').length
  const body = `${deployed} of ${set.steps.length} deployed. ${set.summary ?? ''}`.trim()
  const firstRun = set.steps.find((s) => s.runId !== undefined && s.state !== 'succeeded')?.runId
  const run = firstRun === undefined ? {} : { runId: firstRun }
  switch (set.state) {
    case 'succeeded':
      return { title: `Promoted ${set.label}`, body, kind: 'succeeded' }
    case 'partly':
      return { title: `Promoted ${set.label}, some skipped`, body, kind: 'info' }
    case 'failed':
    case 'aborted':
    case 'held':
      return { title: `Set ${set.state}: ${set.label}`, body, kind: 'failed', ...run }
    case 'running':
      return { title: `Promoting ${set.label}`, body, kind: 'info' }
    default: {
      const never: never = set.state
      return never
    }
  }
}

/** A Notifier that keeps what it was told (for tests and the CLI) and, if given a sink, emits `notifications.shown`. */
export class RecordingNotifier implements Notifier {
  readonly ended: RunEndedRecord[] = []
  readonly activities: DeployActivity[] = []
  readonly sets: { setId: string; state: ReleaseSet['state'] }[] = []
  readonly notices: Notice[] = []

  constructor(private readonly events?: EventSink) {}

  runEnded(run: DeployRun): void {
    const record: RunEndedRecord = {
      runId: run.id,
      service: run.service,
      environment: run.environment,
      result: run.state,
    }
    const durationMs = runDurationMs(run)
    if (durationMs !== undefined) record.durationMs = durationMs
    this.ended.push(record)
    this.events?.emit('notifications.shown', noticeFor(run))
  }

  activity(activity: DeployActivity): void {
    this.activities.push(activity)
  }

  setEnded(set: ReleaseSet): void {
    this.sets.push({ setId: set.id, state: set.state })
    this.events?.emit('notifications.shown', noticeForSet(set))
  }

  notice(notice: Notice): void {
    this.notices.push(notice)
    this.events?.emit('notifications.shown', notice)
  }
}
