import { buildEnd, planBuild } from './jenkins-model'
import type { JenkinsBuild, JenkinsJobDef, JenkinsQueueItem, JenkinsResult } from './jenkins-model'
import type { Faults } from './faults'

/** A Jenkins account: Basic auth with `token` (API token) or `password`. */
export interface JenkinsUser {
  name: string
  token: string
  password?: string
}

/**
 * CSRF crumbs (B.3): `off` = no crumb issuer (its endpoint 404s); `on` = issuer enabled, API-token
 * requests exempt (modern Jenkins); `always` = every POST needs the crumb (old Jenkins, some proxies).
 */
export type JenkinsCrumbMode = 'off' | 'on' | 'always'

/** One trigger that created a queue item (a 201). */
export interface JenkinsTrigger {
  job: string
  queueId: number
  params: Record<string, string>
  at: number
}

/** The simulator's mutable state, shared with its routes. */
export interface JenkinsState {
  jobs: Map<string, JenkinsJobDef>
  builds: JenkinsBuild[]
  queue: JenkinsQueueItem[]
  users: JenkinsUser[]
  crumb: JenkinsCrumbMode
  leftItemTtlMs: number
  faults: Faults
  triggers: JenkinsTrigger[]
  clock: () => number
  nextQueueId: () => number
  nextBuildNumber: (job: JenkinsJobDef) => number
  pickResult: (job: JenkinsJobDef) => JenkinsResult
}

/** Builds of a job, newest first. */
export function buildsOf(state: JenkinsState, job: JenkinsJobDef): JenkinsBuild[] {
  return state.builds.filter((b) => b.job === job).sort((a, b) => b.number - a.number)
}

/** Whether a queue item can no longer be read (left the queue longer ago than the cache keeps it). */
export function isGone(state: JenkinsState, item: JenkinsQueueItem, now: number): boolean {
  if (item.leftAt === undefined) return false
  const ttl = item.shape.vanishEarly ? 0 : state.leftItemTtlMs
  return now >= item.leftAt + ttl
}

/** Starts every queued item whose time has come, in queue order (lazy: the clock may jump). */
export function advance(state: JenkinsState, now: number): void {
  for (const item of [...state.queue].sort((a, b) => a.id - b.id)) {
    if (item.leftAt !== undefined || item.readyAt === Infinity) continue
    let start = item.readyAt
    if (item.job.concurrent !== true) {
      const last = buildsOf(state, item.job)[0]
      if (last !== undefined) start = Math.max(start, buildEnd(last))
    }
    if (start > now) continue
    const build = planBuild({
      number: state.nextBuildNumber(item.job),
      job: item.job,
      queueId: item.id,
      params: item.params,
      user: item.user,
      start,
      result: state.pickResult(item.job),
      shape: item.shape,
    })
    state.builds.push(build)
    item.leftAt = start
    item.build = build
  }
}
