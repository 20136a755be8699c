import type { DeployJobConfig, Sha } from '../../../shared/models/workspace'

/** Where a provider's run is in its life, mapped from Rundeck statuses and Jenkins queue/build states. */
export type ProviderRunState =
  'queued' | 'running' | 'succeeded' | 'unstable' | 'failed' | 'aborted' | 'timedout' | 'missed' | 'not-built'

/** An opaque, persistable handle on one provider run (a Rundeck execution id, a Jenkins queue item or build). */
export interface ProviderRunRef {
  provider: DeployJobConfig['provider']
  /** Rundeck: the execution id. Jenkins: the queue item id until the build is known, then the build number. */
  id: string
  /** Jenkins only: the queue item id, kept to find the build again after the item has left the queue. */
  queueId?: string
  /** Jenkins only: the build number once known. */
  buildNumber?: number
  /** A link a person can open (Rundeck permalink, Jenkins build page). */
  url?: string
}

/** What a provider reports about a run when polled. */
export interface ProviderRunStatus {
  ref: ProviderRunRef
  state: ProviderRunState
  /** Provider's own words for the state (Rundeck status or Jenkins result). */
  detail: string
  final: boolean
  startedAt?: string
  endedAt?: string
  /** The user the provider says started it. */
  user?: string
}

/** A slice of a run's log; `cursor` is opaque and passed back verbatim. */
export interface ProviderLogChunk {
  lines: string[]
  cursor: string
  /** No more log will come. */
  complete: boolean
}

/** One deploy request as a provider sees it: the job with its templates already filled in. */
export interface ProviderDeployRequest {
  service: string
  environment: string
  sha: Sha
  job: DeployJobConfig
}

/**
 * A deploy system (Rundeck, Jenkins). `trigger` is never retried: it is called at most once per run,
 * and a transport failure during it must surface as an error so the runner can mark the run `unknown`.
 * Reads (`status`, `log`, `running`) may be retried by the caller.
 */
export interface DeployProvider {
  trigger(request: ProviderDeployRequest): Promise<ProviderRunRef>
  status(ref: ProviderRunRef): Promise<ProviderRunStatus>
  log(ref: ProviderRunRef, cursor: string | undefined): Promise<ProviderLogChunk>
  abort(ref: ProviderRunRef): Promise<void>
  /** Runs of this job for this environment that the provider reports as queued or running. */
  running(request: Omit<ProviderDeployRequest, 'sha'>): Promise<ProviderRunRef[]>
}
