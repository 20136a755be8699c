import { randomBytes } from 'node:crypto'
import {
  appendFileSync,
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs'
import { basename, dirname } from 'node:path'
import { isFinal } from '../../../shared/models/deploys'
import {
  applyLine,
  parseJournal,
  replaceRecord,
  runIdOf,
  type JournalDamage,
  type JournalEvent,
  type JournalLine,
  type JournalRecord,
  type ParsedJournal,
} from './journal-lines'
import { lockSync, type HeldLock } from './lock-file'

export type { JournalEvent, JournalLine, JournalRecord, RunChange } from './journal-lines'

/** A note line of the side file: `# <ISO time> deploy journal: …`, written before each piece of skipped bytes. */
const NOTE_LINE = /^# \d{4}-\d\d-\d\dT[\d:.]+Z deploy journal: /

/** How the journal keeps itself small, and whom it tells about damage. */
export interface JournalOptions {
  /** Compact once the file has more lines than this and than three per run (default 2000). */
  compactAbove?: number
  /** Finished runs kept by compaction, newest first; unfinished runs and each target's last success always stay (default 5000). */
  keepFinished?: number
  /** Told, in words, about each piece of damage found (also kept in `notes`). */
  onNote?: (note: string) => void
  /** Told about each run another process changed, once this journal has read the change (after its lock is let go). */
  onRemote?: (record: JournalRecord) => void
}

/**
 * The deploy journal: a JSON-lines file shared by every Trainyard process of a workspace (the app, CLIs). Each
 * read or append happens under the journal's lock file, after replaying what other processes appended; each line
 * is flushed to disk before `append` returns. Damage is never silent: unreadable bytes go to `<file>.damaged`
 * with a note, every run that can be rebuilt is kept, and the file is then rewritten whole (compaction: write
 * aside, fsync, rename), as it is when it grows long. It holds runs, refs and error data only: never a secret.
 */
export class DeployJournal {
  /** What replay had to skip or repair, in words. */
  readonly notes: string[] = []
  /** Where damaged bytes are kept. */
  readonly damagedFile: string
  private readonly records = new Map<string, JournalRecord>()
  private fd: number | undefined
  private ino = -1
  private offset = 0
  private lineCount = 0
  private lock: HeldLock | undefined
  private damaged = false
  private readonly remote = new Set<JournalRecord>()

  private constructor(
    readonly file: string,
    private readonly options: JournalOptions,
  ) {
    this.damagedFile = `${file}.damaged`
  }

  /** Opens (creating if needed) and replays the journal at `file`. */
  static open(file: string, options: JournalOptions = {}): DeployJournal {
    const journal = new DeployJournal(file, options)
    mkdirSync(dirname(file), { recursive: true })
    journal.fd = openSync(file, 'a+')
    journal.locked(() => undefined)
    return journal
  }

  /** Runs `work` holding the journal's lock, after taking in what other processes appended. Re-entrant. */
  locked<T>(work: () => T): T {
    if (this.lock) return work()
    if (this.fd === undefined) throw new Error('deploy journal is closed')
    this.lock = lockSync(`${this.file}.lock`, 'writing the deploy journal')
    try {
      this.refresh()
      const result = work()
      if (this.damaged || this.tooLong()) this.compact()
      return result
    } finally {
      this.lock.release()
      this.lock = undefined
      const changed = [...this.remote]
      this.remote.clear()
      for (const record of changed) if (this.records.has(record.run.id)) this.options.onRemote?.(record)
    }
  }

  /** Takes in what other processes appended (or a compacted file); a closed journal keeps what it has. */
  sync(): void {
    if (this.fd === undefined) return
    // Nothing new (the common case): no need for the lock.
    const now = statSync(this.file, { throwIfNoEntry: false })
    if (now && now.ino === this.ino && now.size === this.offset) return
    this.locked(() => undefined)
  }

  /** Writes one event durably, then applies it; returns the run's record. */
  append(event: JournalEvent, at: Date): JournalRecord {
    return this.locked(() => {
      const line = { v: 1, at: at.toISOString(), ...event } as JournalLine
      const record = applyLine(this.records, line)
      if (!record) throw new Error(`journal line for unknown run ${runIdOf(line)}`)
      // These lines carry the whole run, so a damaged request line loses nothing that matters.
      if (line.kind === 'triggering' || line.kind === 'ended' || line.kind === 'resolved') line.run = { ...record.run }
      this.write(`${JSON.stringify(line)}\n`)
      return record
    })
  }

  /** The notes kept in the side file with the skipped bytes, oldest first (empty when nothing was ever skipped). */
  setAsideNotes(): string[] {
    let text: string
    try {
      text = readFileSync(this.damagedFile, 'utf8')
    } catch {
      return []
    }
    return text.split('\n').flatMap((line) => (NOTE_LINE.test(line) ? [line.slice(2)] : []))
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

  private refresh(): void {
    const now = statSync(this.file, { throwIfNoEntry: false })
    if (!now || now.ino !== this.ino || now.size < this.offset) return this.reload()
    if (now.size > this.offset) {
      const touched = this.take(parseJournal(this.read(this.offset, now.size - this.offset), this.offset), now.size)
      for (const record of touched) this.remote.add(record)
    }
  }

  /** Replays the whole file (first open, or another process compacted it), keeping the record objects pollers hold. */
  private reload(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = openSync(this.file, 'a+')
    const stat = fstatSync(this.fd)
    const first = this.ino === -1
    this.ino = stat.ino
    this.offset = 0
    this.lineCount = 0
    const previous = new Map(this.records)
    const before = new Map([...previous].map(([id, r]) => [id, JSON.stringify(r.run)]))
    this.records.clear()
    this.take(parseJournal(this.read(0, stat.size), 0), stat.size)
    for (const [id, record] of this.records) {
      const known = previous.get(id)
      if (known && known !== record) {
        replaceRecord(known, record)
        this.records.set(id, known)
      }
      // Another process compacted the file: what it changed meanwhile is news here.
      const now = this.records.get(id)
      if (!first && now && before.get(id) !== JSON.stringify(now.run)) this.remote.add(now)
    }
  }

  /** Applies what was read up to byte `end`; sets damage aside and cuts a torn last line. Returns the runs it touched. */
  private take(parsed: ParsedJournal, end: number): Set<JournalRecord> {
    const orphans: (JournalDamage & { runId: string })[] = []
    const touched = new Set<JournalRecord>()
    for (const { line, offset, bytes } of parsed.lines) {
      const record = applyLine(this.records, line)
      if (record) touched.add(record)
      else orphans.push({ offset, bytes, why: 'a line of a run whose request line is damaged', runId: runIdOf(line) })
      this.lineCount += 1
    }
    const damage = [...parsed.damage, ...orphans.filter((o) => !this.records.has(o.runId))]
    for (const d of damage) this.setAside(d, `${d.why} at byte ${d.offset} (${d.bytes.length} bytes)`)
    this.offset = end
    if (parsed.tail) {
      // Read under the lock, so no writer is mid-line: this one died. Cut it off so appends start on a fresh line.
      this.setAside(parsed.tail, `a line torn by a crash (${parsed.tail.bytes.length} bytes at the end)`)
      ftruncateSync(this.fd as number, parsed.tail.offset)
      this.offset = parsed.tail.offset
    }
    return touched
  }

  private setAside(damage: JournalDamage, what: string): void {
    const note = `deploy journal: skipped ${what}; its bytes are kept in ${basename(this.damagedFile)}`
    appendFileSync(
      this.damagedFile,
      Buffer.concat([Buffer.from(`# ${new Date().toISOString()} ${note}\n`), damage.bytes, Buffer.from('\n')]),
    )
    this.damaged = true
    this.notes.push(note)
    this.options.onNote?.(note)
  }

  private tooLong(): boolean {
    return this.lineCount > Math.max(this.options.compactAbove ?? 2000, 3 * this.records.size)
  }

  /**
   * Rewrites the journal as one snapshot line per kept run: written aside, flushed, renamed over the file (other
   * processes notice the new file and replay it whole). Finished runs beyond `keepFinished` go, except each
   * target's last success, which the guard falls back on.
   */
  private compact(): void {
    const keep = this.retained()
    const at = new Date().toISOString()
    const body = keep.map((record) => `${JSON.stringify({ v: 1, at, kind: 'snapshot', record })}\n`).join('')
    const aside = `${this.file}.compact-${process.pid}-${randomBytes(4).toString('hex')}`
    const fd = openSync(aside, 'wx')
    try {
      writeAll(fd, body)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(aside, this.file)
    syncDirectory(dirname(this.file))
    for (const id of [...this.records.keys()]) if (!keep.some((r) => r.run.id === id)) this.records.delete(id)
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = openSync(this.file, 'a+')
    this.ino = fstatSync(this.fd).ino
    this.offset = Buffer.byteLength(body)
    this.lineCount = keep.length
    this.damaged = false
  }

  private retained(): JournalRecord[] {
    const all = this.all()
    const finished = all
      .filter((r) => isFinal(r.run.state))
      .sort((a, b) => b.run.requestedAt.localeCompare(a.run.requestedAt))
    const kept = new Set(finished.slice(0, this.options.keepFinished ?? 5000))
    const lastSuccess = new Set<string>()
    for (const record of finished) {
      const target = `${record.run.service}\u0000${record.run.environment}`
      if (record.run.state !== 'succeeded' || lastSuccess.has(target)) continue
      lastSuccess.add(target)
      kept.add(record)
    }
    return all.filter((r) => !isFinal(r.run.state) || kept.has(r))
  }

  private read(from: number, length: number): Buffer {
    const bytes = Buffer.alloc(length)
    let done = 0
    while (done < length) {
      const n = readSync(this.fd as number, bytes, done, length - done, from + done)
      if (n === 0) break
      done += n
    }
    return bytes.subarray(0, done)
  }

  private write(text: string): void {
    const fd = this.fd as number
    writeAll(fd, text)
    fsyncSync(fd)
    this.offset += Buffer.byteLength(text)
    this.lineCount += 1
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text)
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
}

/** Makes a rename durable; a file system that cannot fsync a directory (Windows) is left to its own ordering. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Best effort: the data itself was flushed before the rename.
  }
}
