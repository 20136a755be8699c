import type { TrainyardBridge } from '../../../shared/api/client'
import type { Outcome } from '../../../shared/outcome'
import { reportConnection } from './connection'

/**
 * The bridge over the loopback web host: POST api/<channel> and one EventSource for every event, both relative to
 * the app's base path, the only path the host's cookie is sent to.
 */
export function webBridge(): TrainyardBridge {
  let source: EventSource | undefined
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  function ensureSource(event: string): void {
    if (!source) {
      source = new EventSource('api/events')
      source.addEventListener('open', () => reportConnection(false))
      // The browser retries by itself; until it gets through, what the page shows may be out of date.
      source.addEventListener('error', () => reportConnection(true))
    }
    if (listeners.has(event)) return
    listeners.set(event, new Set())
    source.addEventListener(event, (message: MessageEvent<string>) => {
      const payload = JSON.parse(message.data) as unknown
      for (const listener of listeners.get(event) ?? []) listener(payload)
    })
  }

  return {
    async invoke(channel, input) {
      try {
        const response = await fetch(`api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        })
        if (response.status === 403) {
          return {
            ok: false,
            error: {
              code: 'forbidden',
              message: 'The web host refused this page: open the URL Trainyard printed, with its token.',
            },
          }
        }
        return (await response.json()) as Outcome<unknown>
      } catch {
        reportConnection(true)
        return {
          ok: false,
          error: {
            code: 'endpoint-unreachable',
            message: 'Trainyard’s web host is not answering: is it still running?',
          },
        }
      }
    },
    subscribe(event, listener) {
      ensureSource(event)
      listeners.get(event)?.add(listener)
      return () => listeners.get(event)?.delete(listener)
    },
  }
}
