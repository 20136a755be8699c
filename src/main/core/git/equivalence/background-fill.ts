import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Equivalence } from './equivalence'

/** How the background work is paced. */
export interface BackgroundFillOptions {
  /** Milliseconds of work before yielding to the event loop (default 20): requests wait at most about this long. */
  sliceMs?: number
  /** Milliseconds between two saves of a table while it fills (default 10 s): an interrupted build loses at most this. */
  saveEveryMs?: number
  /** Told about a failure; the service's work stops until it is scheduled again. */
  onError?: (service: string, error: unknown) => void
}

/**
 * Fills the equivalence tables of a workspace's clones in the background, one clone at a time, in short slices
 * between which the event loop serves requests. Each table is saved now and then and when its work ends or stops.
 */
export class BackgroundFill {
  private readonly queue = new Map<string, () => Equivalence | undefined>()
  private running: Promise<void> | undefined
  private stopped = false

  constructor(private readonly options: BackgroundFillOptions = {}) {}

  /** Queues a clone's table (again); `of` gives its current table when its turn comes. */
  schedule(service: string, of: () => Equivalence | undefined): void {
    if (this.stopped) return
    this.queue.set(service, of)
    this.running ??= this.run().finally(() => (this.running = undefined))
  }

  /** Resolves once nothing is queued or running (for tests and the CLI). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Stops after the current slice, saving the table it was filling; nothing runs afterwards. */
  async stop(): Promise<void> {
    this.stopped = true
    this.queue.clear()
    await this.running
  }

  private async run(): Promise<void> {
    const sliceMs = this.options.sliceMs ?? 20
    const saveEveryMs = this.options.saveEveryMs ?? 10_000
    for (let next = this.queue.entries().next(); !next.done && !this.stopped; next = this.queue.entries().next()) {
      const [service, of] = next.value
      this.queue.delete(service)
      const table = of()
      if (!table) continue
      let saved = performance.now()
      const save = (): void => {
        try {
          table.save()
        } catch {
          // The file only saves time: an unwritable cache dir costs recomputation after a restart, nothing else.
        }
        saved = performance.now()
      }
      try {
        while (!this.stopped && (await table.fill(performance.now() + sliceMs))) {
          if (performance.now() - saved > saveEveryMs) save()
          await nextTurn()
        }
        save()
      } catch (error) {
        this.options.onError?.(service, error)
      }
    }
  }
}
