import type { EventName, EventPayload } from '../../shared/api/contract'

/** An event and its payload as one tuple: narrowing the name narrows the payload (`if (event === …) payload.run`). */
export type EventArgs = { [E in EventName]: [event: E, payload: EventPayload<E>] }[EventName]

/** Where the core pushes events; each transport fans them out to its listeners. */
export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
}

/** An EventSink that keeps a list of listeners. */
export class EventHub implements EventSink {
  private readonly listeners = new Set<(...args: EventArgs) => void>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) (listener as (event: E, payload: EventPayload<E>) => void)(event, payload)
  }

  /** Listens to every event (transports forward them all); returns the function that removes the listener. */
  listen(listener: (...args: EventArgs) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Listens to one event with its typed payload; returns the function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.listen((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>)
    })
  }
}
