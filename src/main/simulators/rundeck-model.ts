import { lineTimes, shapeLog } from './faults'
import type { RunShape } from './faults'

/** A final Rundeck execution status a simulated job can end in. */
export type RundeckOutcome = 'succeeded' | 'failed' | 'aborted' | 'timedout' | 'failed-with-retry' | 'missed' | 'other'

/** Every status an execution can show. */
export type RundeckStatus = RundeckOutcome | 'queued' | 'running'

/** One option of a simulated job's definition (A.12). */
export interface RundeckOptionDef {
  name: string
  /** Default value. */
  value?: string
  values?: string[]
  required?: boolean
  /** The value must be one of `values`. */
  enforced?: boolean
  regex?: string
  description?: string
}

/** A job defined when the simulator starts. */
export interface RundeckJobDef {
  id: string
  name: string
  group?: string
  project: string
  description?: string
  options?: RundeckOptionDef[]
  /** `multipleExecutions` in Rundeck's words; false (default) → 409 while one runs. */
  allowConcurrent?: boolean
  /** How long a run takes (default 200 ms). */
  durationMs?: number
  /** How runs end: a fixed status or `random` (seeded). Default `succeeded`. */
  outcome?: RundeckOutcome | 'random'
  /** `customStatus` when the outcome is `other`. */
  customStatus?: string
  /** Log lines of a run; `${option.NAME}` is replaced. Default: a short deploy script's output. */
  log?: string[]
}

/** A past execution to seed (for probes and the demo). */
export interface RundeckHistoryEntry {
  jobId: string
  options: Record<string, string>
  status: RundeckOutcome
  /** Epoch ms. */
  startedAt: number
  durationMs?: number
  user?: string
  log?: string[]
}

/** One log line of an execution. */
export interface RundeckLogLine {
  at: number
  text: string
  level: 'NORMAL' | 'ERROR'
}

/** A simulated execution; its status is a function of the clock. */
export interface RundeckExecution {
  id: number
  job: RundeckJobDef
  options: Record<string, string>
  argstring: string
  user: string
  submittedAt: number
  /** When it leaves the `queued` state (Infinity when the queue never starts). */
  startAt: number
  endAt: number
  outcome: RundeckOutcome
  lines: RundeckLogLine[]
  abortedAt?: number
  abortedBy?: string
}

/** Status of an execution at `now`. */
export function statusAt(execution: RundeckExecution, now: number): RundeckStatus {
  if (execution.abortedAt !== undefined && execution.abortedAt <= now) return 'aborted'
  if (now < execution.startAt) return 'queued'
  if (now < execution.endAt) return 'running'
  return execution.outcome
}

/** Whether an execution has ended at `now`. */
export function isFinal(status: RundeckStatus): boolean {
  return status !== 'queued' && status !== 'running'
}

/** When it ended, if it has. */
export function endedAt(execution: RundeckExecution, now: number): number | undefined {
  if (execution.abortedAt !== undefined && execution.abortedAt <= now) return execution.abortedAt
  return now >= execution.endAt && now >= execution.startAt ? execution.endAt : undefined
}

/** Log lines written by `now`. */
export function visibleLines(execution: RundeckExecution, now: number): RundeckLogLine[] {
  const until = Math.min(now, endedAt(execution, now) ?? now)
  return execution.lines.filter((line) => line.at <= until)
}

function defaultLog(job: RundeckJobDef): string[] {
  return [
    `Starting ${job.name}`,
    'Options: ${argstring}',
    'Fetching artefact',
    'Rolling out to 3 nodes',
    `Finished ${job.name}`,
  ]
}

/** Fills `${option.NAME}` and `${argstring}` in a log template. */
export function fillLine(template: string, options: Record<string, string>, argstring: string): string {
  return template
    .replace(/\$\{option\.([^}]+)\}/g, (_, name: string) => options[name] ?? '')
    .replace(/\$\{argstring\}/g, argstring)
}

/** Builds an execution's timeline from its job, options, start time and faults. */
export function planExecution(input: {
  id: number
  job: RundeckJobDef
  options: Record<string, string>
  argstring: string
  user: string
  now: number
  outcome: RundeckOutcome
  shape: RunShape
  durationMs?: number
  log?: string[]
}): RundeckExecution {
  const duration = input.durationMs ?? input.job.durationMs ?? 200
  const startAt = input.shape.stuckQueue ? Infinity : input.now
  const endAt = input.shape.abortMidway ? startAt + Math.floor(duration / 2) : startAt + duration
  const texts = (input.log ?? input.job.log ?? defaultLog(input.job)).map((t) =>
    fillLine(t, input.options, input.argstring),
  )
  const failing = input.outcome === 'failed' || input.outcome === 'timedout' || input.outcome === 'failed-with-retry'
  const all = failing ? [...texts, `Step failed: ${input.outcome}`] : texts
  const shaped = shapeLog(all, input.shape)
  const times = lineTimes(startAt, duration, all.length)
  const lines = shaped.map((text, i) => ({
    at: times[i] ?? startAt,
    text,
    level: failing && i === all.length - 1 ? ('ERROR' as const) : ('NORMAL' as const),
  }))
  const execution: RundeckExecution = {
    id: input.id,
    job: input.job,
    options: input.options,
    argstring: input.argstring,
    user: input.user,
    submittedAt: input.now,
    startAt,
    endAt,
    outcome: input.shape.abortMidway ? 'aborted' : input.outcome,
    lines,
  }
  if (input.shape.abortMidway) {
    execution.abortedAt = endAt
    execution.abortedBy = 'admin'
  }
  return execution
}

/** Parses a Rundeck argString (`-opt value -opt2 "with space"`) into options. */
export function parseArgString(argString: string): Record<string, string> {
  const tokens = [...argString.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '')
  const options: Record<string, string> = {}
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? ''
    if (token.startsWith('-') && token.length > 1) {
      const next = tokens[i + 1]
      const hasValue = next !== undefined && !(next.startsWith('-') && next.length > 1)
      options[token.slice(1)] = hasValue ? next : ''
      if (hasValue) i++
    }
  }
  return options
}

/** Renders options as an argstring, quoting values with spaces. */
export function renderArgString(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([name, value]) => `-${name} ${/\s/.test(value) || value === '' ? `"${value}"` : value}`)
    .join(' ')
}

/** Applies defaults and validates options against the job's definition; returns an error text when invalid. */
export function resolveOptions(
  job: RundeckJobDef,
  given: Record<string, string>,
): { options: Record<string, string> } | { error: string } {
  const options: Record<string, string> = {}
  for (const def of job.options ?? []) {
    const value = given[def.name] ?? def.value
    if (value === undefined || value === '') {
      if (def.required === true) return { error: `Option '${def.name}' is required.` }
      continue
    }
    if (def.enforced === true && def.values !== undefined && !def.values.includes(value)) {
      return { error: `Option '${def.name}' doesn't allow value: ${value}` }
    }
    if (def.regex !== undefined && !new RegExp(def.regex).test(value)) {
      return { error: `Option '${def.name}' value: ${value} does not match regex: ${def.regex}` }
    }
    options[def.name] = value
  }
  for (const [name, value] of Object.entries(given)) if (!(name in options)) options[name] = value
  return { options }
}
