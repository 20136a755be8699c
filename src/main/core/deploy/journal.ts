import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DeployRun, DeployState } from '../../../shared/models/deploys'
import type { ProviderRunRef } from './provider'

/** Fields of a run that change after it was requested. */
export type RunChange = Partial<Pick<DeployRun, 'state' | 'detail' | 'startedAt' | 'endedAt' | 'url' | 'error'>>

/**
 * One line of the deploy journal. A run's lines, in order: `requested` → `triggering` (written before
 * the provider is called) → `triggered` (with the provider's ref) → `changed`… → `ended`; or
 * `changed` to `unknown` → `resolved` by a person.
 */
export type JournalEvent =
  | { kind: 'requested'; run: DeployRun }
  | { kind: 'triggering'; runId: string }
  | { kind: 'triggered'; runId: string; ref: ProviderRunRef; change: RunChange }
  | { kind: 'changed'; runId: string; change: RunChange; ref?: ProviderRunRef }
  | { kind: 'abort-requested'; runId: string; by: string }
  | { kind: 'ended'; runId: string; change: RunChange }
  | { kind: 'resolved'; runId: string; state: 'succeeded' | 'failed'; note: string; by: string }

/** A journal line as stored: the event plus the format version and when it was written. */
export type JournalLine = JournalEvent & { v: 1; at: string }

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

/** States after which a run never changes again without a person. */
export const FINAL_STATES: readonly DeployState[] = ['succeeded', 'failed', 'aborted']

/** Whether a run's state is final (succeeded, failed, aborted). */
export function isFinal(state: DeployState): boolean {
  return FINAL_STATES.includes(state)
}

/**
 * The deploy journal: an append-only JSON-lines file, each line flushed to disk before `append`
 * returns, replayed on open. A torn last line (the app died mid-write) is cut off and noted.
 * It holds runs, refs and error data only: never a secret, never a provider request.
 */
export class DeployJournal {
  /** What replay had to skip or repair, in words. */
  readonly notes: string[] = []
  private readonly records = new Map<string, JournalRecord>()
  private fd: number | undefined

  private constructor(readonly file: string) {}

  /** Opens (creating if needed) and replays the journal at `file`. */
  static open(file: string): DeployJournal {
    const journal = new DeployJournal(file)
    mkdirSync(dirname(file), { recursive: true })
    journal.fd = openSync(file, 'a+')
    journal.replay()
    return journal
  }

  /** Writes one event durably, then applies it; returns the run's record. */
  append(event: JournalEvent, at: Date): JournalRecord {
    if (this.fd === undefined) throw new Error('deploy journal is closed')
    const line: JournalLine = { v: 1, at: at.toISOString(), ...event }
    const record = this.apply(line)
    writeSync(this.fd, `${JSON.stringify(line)}\n`)
    fsyncSync(this.fd)
    return record
  }

  /** Every run, oldest request first. */
  all(): JournalRecord[] {
    return [...this.records.values()]
  }

  /** One run's record, if the journal has it. */
  get(runId: string): JournalRecord | undefined {
    return this.records.get(runId)
  }

  /** Closes the file; later appends throw. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private replay(): void {
    const text = readFileSync(this.file, 'utf8')
    const lines = text.split('\n')
    const last = lines.pop() ?? ''
    if (last !== '') {
      // The app died while writing this line: it was never acknowledged, so drop it and cut the file.
      this.notes.push(`ignored a torn last line of ${Buffer.byteLength(last)} bytes`)
      ftruncateSync(this.fd as number, Buffer.byteLength(text) - Buffer.byteLength(last))
    }
    lines.forEach((raw, index) => {
      if (raw.trim() === '') return
      try {
        this.apply(JSON.parse(raw) as JournalLine)
      } catch {
        this.notes.push(`ignored unreadable line ${index + 1}`)
      }
    })
  }

  private apply(line: JournalLine): JournalRecord {
    if (line.kind === 'requested') {
      const record: JournalRecord = { run: { ...line.run }, triggering: false, abortRequested: false }
      this.records.set(line.run.id, record)
      return record
    }
    const record = this.records.get(line.runId)
    if (!record) throw new Error(`journal line for unknown run ${line.runId}`)
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
    }
    return record
  }
}
