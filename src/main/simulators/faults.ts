/** Which requests a fault hits: a substring of, or a RegExp tested against, `"<METHOD> <path>"` (no query). */
export type FaultMatch = string | RegExp

/** A fault that hits the next `count` matching requests (`Infinity` = until cleared). */
export interface CountedFault {
  count: number
  match?: FaultMatch
}

/**
 * Fault switches shared by the Rundeck and Jenkins simulators, settable at run time.
 * Request faults (`latency` … `seeOther`) act on HTTP exchanges; run faults (`stuckQueue` …
 * `dirtyLog`) shape every run triggered while they are set.
 */
export interface FaultSwitches {
  /** Delay every matching response by `ms`. */
  latency?: { ms: number; match?: FaultMatch }
  /** Hold every matching request (already recorded) until `until` settles: an answer as slow as the test wants. */
  hold?: { until: Promise<void>; match?: FaultMatch }
  /** Answer the next matching requests with a 5xx (default 500) without handling them. */
  serverError?: CountedFault & { status?: number }
  /**
   * Destroy the socket of the next matching requests. `after: true` handles the request first
   * (a trigger is then recorded) and drops the response: the "did it run?" case.
   */
  reset?: CountedFault & { after?: boolean }
  /** Answer 403 in the simulator's own shape. */
  forbidden?: CountedFault
  /** Trigger endpoints answer 409 (Rundeck conflict, Jenkins "is not buildable"). */
  conflict?: CountedFault
  /** Jenkins trigger answers 303 to the job's newest queue item without queueing anything. */
  seeOther?: CountedFault
  /** Runs triggered now never leave the queue (Rundeck `queued`, Jenkins waiting item). */
  stuckQueue?: boolean
  /** Jenkins: queue items of runs triggered now vanish (404) as soon as they leave the queue. */
  vanishEarly?: boolean
  /** Runs triggered now end aborted halfway through. */
  abortMidway?: boolean
  /** Runs triggered now stop logging after this many lines, then complete normally. */
  truncateLogAfter?: number
  /** Runs triggered now log lines carrying ANSI colour codes and HTML. */
  dirtyLog?: boolean
}

/** Names of the counted request faults. */
export type CountedFaultName = 'serverError' | 'reset' | 'forbidden' | 'conflict' | 'seeOther'

/** The run faults captured when a run is triggered. */
export interface RunShape {
  stuckQueue: boolean
  vanishEarly: boolean
  abortMidway: boolean
  truncateLogAfter?: number
  dirtyLog: boolean
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (match === undefined) return true
  const subject = `${method} ${path}`
  return typeof match === 'string' ? subject.includes(match) : match.test(subject)
}

/** The live fault switches of one simulator. */
export class Faults {
  private switches: FaultSwitches = {}

  /** Merges switches into the current ones (`undefined` values clear that switch). */
  set(next: FaultSwitches): void {
    this.switches = { ...this.switches, ...next }
  }

  /** Turns every fault off. */
  clear(): void {
    this.switches = {}
  }

  /** A copy of the current switches. */
  get current(): FaultSwitches {
    return { ...this.switches }
  }

  /** The delay for a request, 0 when none. */
  latencyFor(method: string, path: string): number {
    const latency = this.switches.latency
    return latency !== undefined && matches(latency.match, method, path) ? latency.ms : 0
  }

  /** What a matching request waits for before it is handled, if it is held. */
  holdFor(method: string, path: string): Promise<void> | undefined {
    const hold = this.switches.hold
    return hold !== undefined && matches(hold.match, method, path) ? hold.until : undefined
  }

  /** Uses up one shot of a counted fault if it matches this request; returns the fault when it fired. */
  take<N extends CountedFaultName>(name: N, method: string, path: string): FaultSwitches[N] | undefined {
    const fault = this.switches[name]
    if (fault === undefined || fault.count <= 0 || !matches(fault.match, method, path)) return undefined
    const fired = { ...fault }
    const left = fault.count - 1
    this.switches = { ...this.switches, [name]: left > 0 ? { ...fault, count: left } : undefined }
    return fired
  }

  /** The run faults to bake into a run triggered now. */
  runShape(): RunShape {
    const s = this.switches
    const shape: RunShape = {
      stuckQueue: s.stuckQueue === true,
      vanishEarly: s.vanishEarly === true,
      abortMidway: s.abortMidway === true,
      dirtyLog: s.dirtyLog === true,
    }
    if (s.truncateLogAfter !== undefined) shape.truncateLogAfter = s.truncateLogAfter
    return shape
  }
}

/** A run shape with no faults (seeded history). */
export const cleanShape: RunShape = { stuckQueue: false, vanishEarly: false, abortMidway: false, dirtyLog: false }

const dirtyTail = ' \u001b[1;32mOK\u001b[0m <script>alert("x")</script> &amp; <b>bold</b>'

/** Applies the log faults of a shape to a run's planned lines. */
export function shapeLog(lines: string[], shape: RunShape): string[] {
  const dirty = shape.dirtyLog ? lines.map((line) => `\u001b[36m${line}\u001b[0m${dirtyTail}`) : lines
  return shape.truncateLogAfter === undefined ? dirty : dirty.slice(0, shape.truncateLogAfter)
}

/** When each of `count` log lines appears in a run of `durationMs` starting at `start` (evenly spread, last before the end). */
export function lineTimes(start: number, durationMs: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + Math.floor(((i + 1) * durationMs) / (count + 1)))
}
