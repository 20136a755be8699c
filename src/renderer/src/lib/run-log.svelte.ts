import type { DeployLogLines } from '../../../shared/models/deploys'

/** One run's log as it grows: lines placed by index, so a repeated or late batch never duplicates lines. */
export class RunLog {
  lines = $state.raw<string[]>([])

  constructor(readonly runId: string) {}

  /** Takes the whole log as `deploys.get` returns it. */
  reset(lines: string[]): void {
    this.lines = lines
  }

  /** Adds a `deploys.logged` batch if it is this run's. */
  add(batch: DeployLogLines): void {
    if (batch.runId !== this.runId) return
    const next = this.lines.slice(0, batch.from)
    while (next.length < batch.from) next.push('')
    this.lines = [...next, ...batch.lines, ...this.lines.slice(batch.from + batch.lines.length)]
  }
}
