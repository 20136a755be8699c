import { seededRandom } from '../../shared/seeded-random'
import { Faults, cleanShape } from './faults'
import { startSimServer } from './http-server'
import type { SimExchange, SimRequest, SimResponse } from './http-server'
import { planExecution, renderArgString, resolveOptions, statusAt, visibleLines } from './rundeck-model'
import type {
  RundeckExecution,
  RundeckHistoryEntry,
  RundeckJobDef,
  RundeckOutcome,
  RundeckStatus,
} from './rundeck-model'
import { routeRundeck } from './rundeck-routes'

/** The token the simulator accepts when none are configured (user `cockpit`). */
export const DEFAULT_RUNDECK_TOKEN = 'rdk-sim-token-0001'

/** How to start a Rundeck simulator. */
export interface RundeckSimulatorOptions {
  jobs: RundeckJobDef[]
  /** Accepted API tokens → the user each stands for. Default `{ [DEFAULT_RUNDECK_TOKEN]: 'cockpit' }`. */
  tokens?: Record<string, string>
  /** The server's current (= highest accepted) API version. Default 50. */
  currentVersion?: number
  /** The lowest accepted API version. Default 14. */
  minVersion?: number
  /** Past executions, oldest first or in any order. */
  history?: RundeckHistoryEntry[]
  /** Epoch-ms clock that drives runs. Default `Date.now`. */
  clock?: () => number
  /** Seed of `random` outcomes. Default 1. */
  seed?: number
  /** The first execution id handed out. Default 1. */
  firstExecutionId?: number
  host?: string
  port?: number
}

/** One accepted run request (an execution was created). */
export interface RundeckTrigger {
  jobId: string
  executionId: number
  options: Record<string, string>
  argstring: string
  at: number
}

/** An execution as tests see it. */
export interface RundeckExecutionView {
  id: number
  jobId: string
  status: RundeckStatus
  options: Record<string, string>
  argstring: string
  user: string
  log: string[]
}

/** A running Rundeck simulator. */
export interface RundeckSimulator {
  url: string
  faults: Faults
  triggers: RundeckTrigger[]
  exchanges: SimExchange[]
  /** Accepted run requests, of one job or of all. */
  triggerCount(jobId?: string): number
  executions(jobId?: string): RundeckExecutionView[]
  /** Adds a past execution; returns its id. */
  seed(entry: RundeckHistoryEntry): number
  /** Changes a job's definition (outcome, duration, log, concurrency…) for runs triggered from now on. */
  setJob(jobId: string, patch: Partial<Omit<RundeckJobDef, 'id'>>): void
  close(): Promise<void>
}

/** The simulator's mutable state, shared with its routes. */
export interface RundeckState {
  jobs: Map<string, RundeckJobDef>
  executions: RundeckExecution[]
  tokens: Record<string, string>
  currentVersion: number
  minVersion: number
  faults: Faults
  triggers: RundeckTrigger[]
  clock: () => number
  nextId: () => number
  pickOutcome: (job: RundeckJobDef) => RundeckOutcome
}

/** Starts a Rundeck simulator on loopback. */
export async function startRundeckSimulator(options: RundeckSimulatorOptions): Promise<RundeckSimulator> {
  const random = seededRandom(options.seed ?? 1)
  let nextId = options.firstExecutionId ?? 1
  const state: RundeckState = {
    jobs: new Map(options.jobs.map((job) => [job.id, { ...job }])),
    executions: [],
    tokens: options.tokens ?? { [DEFAULT_RUNDECK_TOKEN]: 'cockpit' },
    currentVersion: options.currentVersion ?? 50,
    minVersion: options.minVersion ?? 14,
    faults: new Faults(),
    triggers: [],
    clock: options.clock ?? Date.now,
    nextId: () => nextId++,
    pickOutcome: (job) => {
      if (job.outcome === 'random') return random() < 0.75 ? 'succeeded' : 'failed'
      return job.outcome ?? 'succeeded'
    },
  }

  function seed(entry: RundeckHistoryEntry): number {
    const job = state.jobs.get(entry.jobId)
    if (job === undefined) throw new Error(`seed: unknown job ${entry.jobId}`)
    const resolved = resolveOptions(job, entry.options)
    const opts = 'options' in resolved ? resolved.options : entry.options
    const execution = planExecution({
      id: state.nextId(),
      job,
      options: opts,
      argstring: renderArgString(opts),
      user: entry.user ?? 'deployer',
      now: entry.startedAt,
      outcome: entry.status,
      shape: cleanShape,
      ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
      ...(entry.log !== undefined ? { log: entry.log } : {}),
    })
    if (entry.status === 'aborted') {
      execution.abortedAt = execution.endAt
      execution.abortedBy = execution.user
    }
    state.executions.push(execution)
    return execution.id
  }
  for (const entry of options.history ?? []) seed(entry)

  const server = await startSimServer({
    faults: state.faults,
    handle: (request: SimRequest): SimResponse => routeRundeck(state, request),
    serverErrorBody: (status) => ({
      status,
      headers: { 'content-type': 'text/html;charset=utf-8' },
      body: `<html><body><h1>HTTP Status ${status} – Internal Server Error</h1></body></html>`,
    }),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  })

  return {
    url: server.url,
    faults: state.faults,
    triggers: state.triggers,
    exchanges: server.exchanges,
    triggerCount: (jobId) => state.triggers.filter((t) => jobId === undefined || t.jobId === jobId).length,
    executions: (jobId) => {
      const now = state.clock()
      return state.executions
        .filter((e) => jobId === undefined || e.job.id === jobId)
        .map((e) => ({
          id: e.id,
          jobId: e.job.id,
          status: statusAt(e, now),
          options: e.options,
          argstring: e.argstring,
          user: e.user,
          log: visibleLines(e, now).map((l) => l.text),
        }))
    },
    seed,
    setJob: (jobId, patch) => {
      const job = state.jobs.get(jobId)
      if (job === undefined) throw new Error(`setJob: unknown job ${jobId}`)
      Object.assign(job, patch)
    },
    close: () => server.close(),
  }
}
