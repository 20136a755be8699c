import type { EventName, EventPayload } from '../../shared/api/contract'

/** Where the core pushes events; each transport fans them out to its listeners. */
export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
}

/** An EventSink that keeps a list of listeners. */
export class EventHub implements EventSink {
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload)
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
