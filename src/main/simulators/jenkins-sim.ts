import { seededRandom } from '../../shared/seeded-random'
import { Faults, cleanShape } from './faults'
import { startSimServer } from './http-server'
import type { SimExchange } from './http-server'
import { consoleAt, isBuilding, planBuild, resultAt } from './jenkins-model'
import type { JenkinsHistoryEntry, JenkinsJobDef, JenkinsResult } from './jenkins-model'
import { advance, isGone } from './jenkins-state'
import type { JenkinsCrumbMode, JenkinsState, JenkinsTrigger, JenkinsUser } from './jenkins-state'
import { routeJenkins } from './jenkins-routes'

export type { JenkinsCrumbMode, JenkinsTrigger, JenkinsUser } from './jenkins-state'

/** The user the simulator accepts when none are configured. */
export const DEFAULT_JENKINS_USER = 'cockpit'
/** That user's API token. */
export const DEFAULT_JENKINS_TOKEN = '11d7c0ffee5ca1ab1e0ddba11deadbeef0'

/** How to start a Jenkins simulator. */
export interface JenkinsSimulatorOptions {
  jobs: JenkinsJobDef[]
  users?: JenkinsUser[]
  /** Default `on`. */
  crumb?: JenkinsCrumbMode
  /** How long a queue item stays readable after leaving the queue. Default 5 minutes. */
  leftItemTtlMs?: number
  history?: JenkinsHistoryEntry[]
  /** Epoch-ms clock that drives builds. Default `Date.now`. */
  clock?: () => number
  /** Seed of `random` results. Default 1. */
  seed?: number
  /** The first queue id handed out. Default 100. */
  firstQueueId?: number
  host?: string
  port?: number
}

/** A build as tests see it. */
export interface JenkinsBuildView {
  job: string
  number: number
  queueId: number
  building: boolean
  result: JenkinsResult | null
  params: Record<string, string>
  log: string
}

/** A queue item as tests see it. */
export interface JenkinsQueueView {
  id: number
  job: string
  params: Record<string, string>
  state: 'waiting' | 'left' | 'cancelled' | 'gone'
  buildNumber?: number
}

/** A running Jenkins simulator. */
export interface JenkinsSimulator {
  url: string
  faults: Faults
  triggers: JenkinsTrigger[]
  exchanges: SimExchange[]
  /** Queue items created by triggers, of one job or of all. */
  triggerCount(job?: string): number
  builds(job?: string): JenkinsBuildView[]
  queueItems(): JenkinsQueueView[]
  /** Adds a past build; returns its number. */
  seed(entry: JenkinsHistoryEntry): number
  /** Changes a job's definition (result, duration, log…) for builds started from now on. */
  setJob(path: string, patch: Partial<Omit<JenkinsJobDef, 'path'>>): void
  close(): Promise<void>
}

/** Starts a Jenkins simulator on loopback. */
export async function startJenkinsSimulator(options: JenkinsSimulatorOptions): Promise<JenkinsSimulator> {
  const random = seededRandom(options.seed ?? 1)
  let queueId = options.firstQueueId ?? 100
  const numbers = new Map<JenkinsJobDef, number>()
  const state: JenkinsState = {
    jobs: new Map(options.jobs.map((job) => [job.path, { ...job }])),
    builds: [],
    queue: [],
    users: options.users ?? [{ name: DEFAULT_JENKINS_USER, token: DEFAULT_JENKINS_TOKEN }],
    crumb: options.crumb ?? 'on',
    leftItemTtlMs: options.leftItemTtlMs ?? 5 * 60_000,
    faults: new Faults(),
    triggers: [],
    clock: options.clock ?? Date.now,
    nextQueueId: () => queueId++,
    nextBuildNumber: (job) => {
      const next = (numbers.get(job) ?? 0) + 1
      numbers.set(job, next)
      return next
    },
    pickResult: (job) =>
      job.result === 'random' ? (random() < 0.75 ? 'SUCCESS' : 'FAILURE') : (job.result ?? 'SUCCESS'),
  }

  function seed(entry: JenkinsHistoryEntry): number {
    const job = state.jobs.get(entry.job)
    if (job === undefined) throw new Error(`seed: unknown job ${entry.job}`)
    const build = planBuild({
      number: state.nextBuildNumber(job),
      job,
      queueId: state.nextQueueId(),
      params: entry.parameters,
      user: entry.user ?? 'deployer',
      start: entry.startedAt,
      result: entry.result,
      shape: cleanShape,
      ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
      ...(entry.log !== undefined ? { log: entry.log } : {}),
    })
    state.builds.push(build)
    return build.number
  }
  for (const entry of [...(options.history ?? [])].sort((a, b) => a.startedAt - b.startedAt)) seed(entry)

  const server = await startSimServer({
    faults: state.faults,
    handle: (request) => routeJenkins(state, request),
    serverErrorBody: (status) => ({
      status,
      headers: { 'content-type': 'text/html;charset=utf-8' },
      body: `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status}</h2></body></html>`,
    }),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  })

  return {
    url: server.url,
    faults: state.faults,
    triggers: state.triggers,
    exchanges: server.exchanges,
    triggerCount: (job) => state.triggers.filter((t) => job === undefined || t.job === job).length,
    builds: (job) => {
      const now = state.clock()
      advance(state, now)
      return state.builds
        .filter((b) => job === undefined || b.job.path === job)
        .map((b) => ({
          job: b.job.path,
          number: b.number,
          queueId: b.queueId,
          building: isBuilding(b, now),
          result: resultAt(b, now),
          params: b.params,
          log: consoleAt(b, now),
        }))
    },
    queueItems: () => {
      const now = state.clock()
      advance(state, now)
      return state.queue.map((item) => {
        const view: JenkinsQueueView = {
          id: item.id,
          job: item.job.path,
          params: item.params,
          state: isGone(state, item, now)
            ? 'gone'
            : item.cancelled === true
              ? 'cancelled'
              : item.leftAt !== undefined
                ? 'left'
                : 'waiting',
        }
        if (item.build !== undefined) view.buildNumber = item.build.number
        return view
      })
    },
    seed,
    setJob: (path, patch) => {
      const job = state.jobs.get(path)
      if (job === undefined) throw new Error(`setJob: unknown job ${path}`)
      Object.assign(job, patch)
    },
    close: () => server.close(),
  }
}
