import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ReleaseSet, SetState, SetStep } from '../../../shared/models/release-sets'
import { lockSync } from '../deploy/lock-file'

/**
 * One line of the set journal. A set's lines: `planned` (every step and its SHA, before any is started) →
 * `step`… (a step's state and run as they change) → `state` (held, running again) → `ended`. `abort-requested` may
 * come at any time: the process driving the set starts nothing after it.
 */
export type SetEvent =
  | { kind: 'planned'; set: ReleaseSet }
  | { kind: 'step'; setId: string; service: string; environment: string; change: Partial<SetStep> }
  | { kind: 'state'; setId: string; state: SetState; summary?: string }
  | { kind: 'abort-requested'; setId: string; by: string }
  | { kind: 'ended'; setId: string; state: SetState; summary: string }

type SetLine = SetEvent & { v: 1; at: string }

/**
 * The set journal: a JSON-lines file beside the deploy journal, shared by every Trainyard process of a workspace.
 * Each append is written under the file's lock and flushed before it returns; each read replays the file (sets are
 * few). A line that cannot be read is skipped and said in `notes`; a torn last line is closed before the next
 * append, so it never swallows one. Holds names, SHAs and run ids only.
 */
export class SetJournal {
  /** What replay had to skip, in words. */
  readonly notes: string[] = []

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true })
  }

  /** Every set, oldest first. */
  all(): ReleaseSet[] {
    return [...this.replay().values()]
  }

  /** One set, if the journal has it. */
  get(setId: string): ReleaseSet | undefined {
    return this.replay().get(setId)
  }

  /** Writes one event durably and returns the set as it stands after it. */
  append(event: SetEvent, at: Date): ReleaseSet {
    const lock = lockSync(`${this.file}.lock`, 'writing the set journal')
    try {
      const line: SetLine = { v: 1, at: at.toISOString(), ...event }
      const fd = openSync(this.file, 'a+')
      try {
        const size = fstatSync(fd).size
        const last = Buffer.alloc(1)
        // A line torn by a crash has no end: close it, so this one stays readable.
        const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a
        const bytes = Buffer.from(`${torn ? '\n' : ''}${JSON.stringify(line)}\n`)
        let done = 0
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      const set = this.replay().get(setIdOf(event))
      if (!set) throw new Error(`set journal line for unknown set ${setIdOf(event)}`)
      return set
    } finally {
      lock.release()
    }
  }

  private replay(): Map<string, ReleaseSet> {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch {
      return new Map()
    }
    const sets = new Map<string, ReleaseSet>()
    const lines = text.split('\n')
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return
      const line = parse(raw)
      if (line === undefined || !apply(sets, line)) {
        // The last line without its end is a write in progress (or one a crash tore): not damage yet.
        if (i === lines.length - 1) return
        const note = `set journal: skipped an unreadable line ${i + 1} of ${this.file}`
        if (!this.notes.includes(note)) this.notes.push(note)
      }
    })
    return sets
  }
}

function setIdOf(event: SetEvent): string {
  return event.kind === 'planned' ? event.set.id : event.setId
}

function parse(raw: string): SetLine | undefined {
  try {
    const value = JSON.parse(raw) as Partial<SetLine> | null
    return typeof value === 'object' && value !== null && typeof value.kind === 'string' && typeof value.at === 'string'
      ? (value as SetLine)
      : undefined
  } catch {
    return undefined
  }
}

/** Applies one line; false when it names a set the journal does not have (its `planned` line is damaged). */
function apply(sets: Map<string, ReleaseSet>, line: SetLine): boolean {
  if (line.kind === 'planned') {
    if (typeof line.set !== 'object' || !Array.isArray(line.set.steps)) return false
    sets.set(line.set.id, structuredClone(line.set))
    return true
  }
  const set = sets.get(line.setId)
  if (!set) return false
  switch (line.kind) {
    case 'step': {
      const step = set.steps.find((s) => s.service === line.service && s.environment === line.environment)
      if (!step) return false
      Object.assign(step, line.change)
      return true
    }
    case 'state':
      set.state = line.state
      if (line.summary !== undefined) set.summary = line.summary
      else delete set.summary
      return true
    case 'abort-requested':
      set.abortRequested = { by: line.by, at: line.at }
      return true
    case 'ended':
      set.state = line.state
      set.summary = line.summary
      set.endedAt = line.at
      return true
    default: {
      const never: never = line
      return never
    }
  }
}
