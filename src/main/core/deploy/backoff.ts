/** How often a deploy run is polled: start fast, double while nothing changes, never slower than `maxMs`. */
export interface PollSettings {
  initialMs: number
  maxMs: number
}

/** The next poll delay: back to `initialMs` after progress, otherwise doubled up to `maxMs`. */
export function nextDelay(settings: PollSettings, current: number, progressed: boolean): number {
  if (progressed) return settings.initialMs
  return Math.min(settings.maxMs, Math.max(settings.initialMs, current * 2))
}

/**
 * Waits `ms`, or less when `signal` aborts or `wake` is called (an abort wants an immediate poll).
 * Never rejects.
 */
export function pause(ms: number, signal: AbortSignal): { done: Promise<void>; wake: () => void } {
  let wake = (): void => {}
  const done = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const finish = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', finish)
      resolve()
    }
    const timer = setTimeout(finish, ms)
    signal.addEventListener('abort', finish, { once: true })
    wake = finish
  })
  return { done, wake }
}
