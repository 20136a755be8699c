import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The log of each deploy run: kept in memory while Trainyard runs and appended to one file per run
 * (`<dir>/<runId>.log`), so a restart knows how many lines it already has. Lines are stored as the
 * provider sent them; the file is a cache of the provider's log, not a record (no fsync).
 */
export class RunLogs {
  private readonly memory = new Map<string, string[]>()

  constructor(private readonly dir: string) {}

  /** Every line kept for a run, from memory or its file. */
  lines(runId: string): string[] {
    const kept = this.memory.get(runId)
    if (kept) return kept
    const file = this.fileOf(runId)
    const lines = existsSync(file) ? splitLines(readFileSync(file, 'utf8')) : []
    this.memory.set(runId, lines)
    return lines
  }

  /** Adds lines to a run's log; returns the index of the first one in the whole log. */
  append(runId: string, lines: string[]): number {
    const kept = this.lines(runId)
    const from = kept.length
    if (lines.length === 0) return from
    // One line per line in the file, so a restart can count them.
    const clean = lines.map((l) => l.replace(/\r?\n/g, ' '))
    mkdirSync(this.dir, { recursive: true })
    appendFileSync(this.fileOf(runId), clean.map((l) => `${l}\n`).join(''))
    for (const line of clean) kept.push(line)
    return from
  }

  /** Drops a finished run's lines from memory (the file stays). */
  forget(runId: string): void {
    this.memory.delete(runId)
  }

  private fileOf(runId: string): string {
    // Run ids come from the journal (ours, or the demo's); refuse anything that could walk out of the directory.
    if (!/^\w[\w.-]*$/.test(runId)) throw new Error(`not a run id: ${runId}`)
    return join(this.dir, `${runId}.log`)
  }
}

function splitLines(text: string): string[] {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}
