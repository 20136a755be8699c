type Listener = (lost: boolean) => void
const listeners = new Set<Listener>()

/** Tells whoever listens whether the core stopped answering (the transport calls it). */
export function reportConnection(lost: boolean): void {
  for (const listener of listeners) listener(lost)
}

/** Follows the connection's state; returns the function that stops. */
export function onConnection(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
