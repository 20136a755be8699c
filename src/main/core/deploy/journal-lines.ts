import type { DeployRun } from '../../../shared/models/deploys'
import type { ProviderRunRef } from './provider'

/** Fields of a run that change after it was requested. */
export type RunChange = Partial<Pick<DeployRun, 'state' | 'detail' | 'startedAt' | 'endedAt' | 'url' | 'error'>>

/** A run rebuilt from its journal lines. */
export interface JournalRecord {
  run: DeployRun
  /** The provider's handle, once the trigger answered. */
  ref?: ProviderRunRef
  /** A `triggering` line was written: the provider may have been called. */
  triggering: boolean
  /** Someone asked for the run to be aborted. */
  abortRequested: boolean
}

/**
 * One line of the deploy journal. A run's lines, in order: `requested` → `triggering` (written before
 * the provider is called) → `triggered` (with the provider's ref) → `changed`… → `ended`; or
 * `changed` to `unknown` → `resolved` by a person. `triggering`, `ended` and `resolved` also carry the whole run
 * as it stands then, so one damaged line never loses a run; compaction writes one `snapshot` per run.
 */
export type JournalEvent =
  | { kind: 'requested'; run: DeployRun }
  | { kind: 'triggering'; runId: string; run?: DeployRun }
  | { kind: 'triggered'; runId: string; ref: ProviderRunRef; change: RunChange }
  | { kind: 'changed'; runId: string; change: RunChange; ref?: ProviderRunRef }
  | { kind: 'abort-requested'; runId: string; by: string }
  | { kind: 'ended'; runId: string; change: RunChange; run?: DeployRun }
  | { kind: 'resolved'; runId: string; state: 'succeeded' | 'failed'; note: string; by: string; run?: DeployRun }
  | { kind: 'snapshot'; record: JournalRecord }

/** A journal line as stored: the event plus the format version and when it was written. */
export type JournalLine = JournalEvent & { v: 1; at: string }

/** Bytes replay could not use, and why. */
export interface JournalDamage {
  /** Byte offset in the journal file. */
  offset: number
  bytes: Buffer
  why: string
}

/** What one read of journal bytes found. */
export interface ParsedJournal {
  lines: { line: JournalLine; offset: number; bytes: Buffer }[]
  damage: JournalDamage[]
  /** Bytes after the last newline: a line whose writer died mid-write (the journal is only read under its lock). */
  tail?: JournalDamage
}

const KINDS = new Set([
  'requested',
  'triggering',
  'triggered',
  'changed',
  'abort-requested',
  'ended',
  'resolved',
  'snapshot',
])
const LINE_START = Buffer.from('{"v":1,')

/**
 * Splits journal bytes (starting at file offset `base`) into readable lines and damage. A line whose start was
 * torn and then glued to the next one (a writer died mid-line, the next appended after it) gives back the whole
 * line that follows the tear.
 */
export function parseJournal(bytes: Buffer, base: number): ParsedJournal {
  const parsed: ParsedJournal = { lines: [], damage: [] }
  let start = 0
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start)
    if (end < 0) {
      parsed.tail = { offset: base + start, bytes: bytes.subarray(start), why: 'a last line without its end' }
      break
    }
    const raw = bytes.subarray(start, end)
    if (raw.toString('utf8').trim() !== '') {
      const line = readLine(raw)
      if (line) parsed.lines.push({ line, offset: base + start, bytes: raw })
      else {
        const glued = raw.lastIndexOf(LINE_START)
        const rest = glued > 0 ? readLine(raw.subarray(glued)) : undefined
        if (rest) {
          parsed.damage.push({ offset: base + start, bytes: raw.subarray(0, glued), why: 'a torn line' })
          parsed.lines.push({ line: rest, offset: base + start + glued, bytes: raw.subarray(glued) })
        } else parsed.damage.push({ offset: base + start, bytes: raw, why: 'an unreadable line' })
      }
    }
    start = end + 1
  }
  return parsed
}

/**
 * Applies one line to the records and returns the run's record; undefined when the line belongs to a run whose
 * request line is missing (damaged) and carries too little to rebuild it.
 */
export function applyLine(records: Map<string, JournalRecord>, line: JournalLine): JournalRecord | undefined {
  switch (line.kind) {
    case 'requested': {
      const record: JournalRecord = { run: { ...line.run }, triggering: false, abortRequested: false }
      records.set(line.run.id, record)
      return record
    }
    case 'snapshot': {
      const copy = structuredClone(line.record)
      const known = records.get(copy.run.id)
      if (!known) records.set(copy.run.id, copy)
      else replaceRecord(known, copy)
      return known ?? copy
    }
    default:
      break
  }
  let record = records.get(line.runId)
  if (!record && (line.kind === 'triggering' || line.kind === 'ended' || line.kind === 'resolved') && line.run) {
    record = { run: { ...line.run }, triggering: true, abortRequested: false }
    records.set(line.runId, record)
  }
  if (!record) return undefined
  switch (line.kind) {
    case 'triggering':
      record.triggering = true
      record.run.state = 'triggering'
      break
    case 'triggered':
      record.ref = line.ref
      Object.assign(record.run, line.change)
      break
    case 'changed':
      if (line.ref) record.ref = line.ref
      Object.assign(record.run, line.change)
      break
    case 'abort-requested':
      record.abortRequested = true
      break
    case 'ended':
      Object.assign(record.run, line.change)
      break
    case 'resolved':
      record.run.state = line.state
      record.run.detail = `settled by ${line.by}: ${line.note}`
      record.run.endedAt ??= line.at
      break
    default: {
      const never: never = line
      return never
    }
  }
  return record
}

/** Puts `next`'s contents into `record`, keeping the object (pollers hold it). */
export function replaceRecord(record: JournalRecord, next: JournalRecord): void {
  record.run = next.run
  record.triggering = next.triggering
  record.abortRequested = next.abortRequested
  if (next.ref) record.ref = next.ref
  else delete record.ref
}

/** The run a line is about, if it names one. */
export function runIdOf(line: JournalLine): string {
  switch (line.kind) {
    case 'requested':
      return line.run.id
    case 'snapshot':
      return line.record.run.id
    default:
      return line.runId
  }
}

function readLine(raw: Buffer): JournalLine | undefined {
  let value: unknown
  try {
    value = JSON.parse(raw.toString('utf8'))
  } catch {
    return undefined
  }
  return isJournalLine(value) ? value : undefined
}

/** The shape checks replay relies on: a line that parses but lacks them is damage, not a crash. */
function isJournalLine(value: unknown): value is JournalLine {
  const line = value as Partial<Record<string, unknown>> | null
  if (typeof line !== 'object' || line === null || typeof line.kind !== 'string' || !KINDS.has(line.kind)) return false
  if (typeof line.at !== 'string') return false
  if (line.kind === 'requested') return isRun(line.run)
  if (line.kind === 'snapshot') return isRun((line.record as { run?: unknown } | undefined)?.run)
  if (typeof line.runId !== 'string') return false
  if (line.run !== undefined && !isRun(line.run)) return false
  if (line.kind === 'triggered') return typeof line.ref === 'object' && line.ref !== null
  return true
}

function isRun(value: unknown): value is DeployRun {
  const run = value as Partial<DeployRun> | null
  return (
    typeof run === 'object' &&
    run !== null &&
    typeof run.id === 'string' &&
    typeof run.service === 'string' &&
    typeof run.environment === 'string' &&
    typeof run.sha === 'string' &&
    typeof run.state === 'string' &&
    typeof run.requestedAt === 'string'
  )
}
