import { lineTimes, shapeLog } from './faults'
import type { RunShape } from './faults'

/** A Jenkins build result (B.7). */
export type JenkinsResult = 'SUCCESS' | 'UNSTABLE' | 'FAILURE' | 'ABORTED' | 'NOT_BUILT'

/** One string parameter a job defines. */
export interface JenkinsParameterDef {
  name: string
  default?: string
  description?: string
  /** A choice parameter's values. */
  choices?: string[]
}

/** A job defined when the simulator starts. */
export interface JenkinsJobDef {
  /** Full name with folders, slash-separated: `deploy-web` or `apps/web/deploy` (served as `job/apps/job/web/job/deploy`). */
  path: string
  parameters?: JenkinsParameterDef[]
  /** How long a build takes (default 200 ms). */
  durationMs?: number
  /** Quiet period before an item becomes buildable (default 0). */
  quietMs?: number
  /** Allow concurrent builds (default false: later items wait, `BlockedItem`). */
  concurrent?: boolean
  /** How builds end: fixed, or `random` (seeded). Default `SUCCESS`. */
  result?: JenkinsResult | 'random'
  /** Console lines; `${NAME}` is replaced by parameter values. */
  log?: string[]
  /** A parameter whose value the git plugin's BuildData reports as `lastBuiltRevision.SHA1`. */
  builtRevisionParameter?: string
  /** A disabled job answers 409 "is not buildable". */
  disabled?: boolean
}

/** A past build to seed (for probes and the demo). */
export interface JenkinsHistoryEntry {
  job: string
  parameters: Record<string, string>
  result: JenkinsResult
  /** Epoch ms. */
  startedAt: number
  durationMs?: number
  user?: string
  log?: string[]
}

/** A simulated build; its state is a function of the clock. */
export interface JenkinsBuild {
  number: number
  job: JenkinsJobDef
  queueId: number
  params: Record<string, string>
  user: string
  timestamp: number
  endAt: number
  result: JenkinsResult
  lines: { at: number; text: string }[]
  truncated: boolean
  abortedAt?: number
}

/** A simulated queue item. */
export interface JenkinsQueueItem {
  id: number
  job: JenkinsJobDef
  params: Record<string, string>
  user: string
  inQueueSince: number
  /** End of the quiet period; Infinity when the queue never starts. */
  readyAt: number
  shape: RunShape
  leftAt?: number
  cancelled?: boolean
  build?: JenkinsBuild
}

/** When a build ends (stopped or planned). */
export function buildEnd(build: JenkinsBuild): number {
  return build.abortedAt !== undefined && build.abortedAt < build.endAt ? build.abortedAt : build.endAt
}

/** Whether a build is still running at `now`. */
export function isBuilding(build: JenkinsBuild, now: number): boolean {
  return now < buildEnd(build)
}

/** The result at `now`, null while building (B.7). */
export function resultAt(build: JenkinsBuild, now: number): JenkinsResult | null {
  if (isBuilding(build, now)) return null
  return build.abortedAt !== undefined && build.abortedAt < build.endAt ? 'ABORTED' : build.result
}

/** The console text written by `now`. */
export function consoleAt(build: JenkinsBuild, now: number): string {
  const until = Math.min(now, buildEnd(build))
  const lines = build.lines.filter((l) => l.at <= until).map((l) => l.text)
  const result = resultAt(build, now)
  if (result !== null && !build.truncated) {
    if (result === 'ABORTED') lines.push('Aborted by admin')
    lines.push(`Finished: ${result}`)
  }
  return lines.map((l) => `${l}\n`).join('')
}

/** Resolves request parameters against the job's definitions: defaults filled, unknown names dropped (B.5). */
export function resolveParameters(job: JenkinsJobDef, given: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {}
  for (const def of job.parameters ?? [])
    params[def.name] = given.get(def.name) ?? def.default ?? def.choices?.[0] ?? ''
  return params
}

/** Builds a build's timeline. */
export function planBuild(input: {
  number: number
  job: JenkinsJobDef
  queueId: number
  params: Record<string, string>
  user: string
  start: number
  result: JenkinsResult
  shape: RunShape
  durationMs?: number
  log?: string[]
}): JenkinsBuild {
  const duration = input.durationMs ?? input.job.durationMs ?? 200
  const templates = input.log ??
    input.job.log ?? [
      '[Pipeline] Start of Pipeline',
      'Deploying ${SHA}',
      '[Pipeline] sh',
      '+ ./deploy.sh',
      '[Pipeline] End of Pipeline',
    ]
  const texts = [
    `Started by user ${input.user}`,
    ...templates.map((t) => t.replace(/\$\{([^}]+)\}/g, (_, n: string) => input.params[n] ?? '')),
  ]
  const shaped = shapeLog(texts, input.shape)
  const times = lineTimes(input.start, duration, texts.length)
  const build: JenkinsBuild = {
    number: input.number,
    job: input.job,
    queueId: input.queueId,
    params: input.params,
    user: input.user,
    timestamp: input.start,
    endAt: input.start + duration,
    result: input.result,
    lines: shaped.map((text, i) => ({ at: times[i] ?? input.start, text })),
    truncated: input.shape.truncateLogAfter !== undefined,
  }
  if (input.shape.abortMidway) build.abortedAt = input.start + Math.floor(duration / 2)
  return build
}
