import { fromErrorData } from '../errors'
import type { Outcome } from '../outcome'
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from './contract'

/** The raw bridge a transport offers the renderer (the preload's `window.trainyard`, or the web host adapter). */
export interface TrainyardBridge {
  invoke(channel: string, input: unknown): Promise<Outcome<unknown>>
  subscribe(event: string, listener: (payload: unknown) => void): () => void
}

/** The typed client the renderer uses; which transport is behind it is decided once, at start-up. */
export class TrainyardApi {
  constructor(private readonly bridge: TrainyardBridge) {}

  /** Sends a command; resolves with its output or rejects with an AppError. */
  async invoke<C extends CommandName>(channel: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const outcome = await this.bridge.invoke(channel, input)
    if (!outcome.ok) throw fromErrorData(outcome.error)
    return outcome.value as CommandOutput<C>
  }

  /** Listens to an event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.subscribe(event, (payload) => listener(payload as EventPayload<E>))
  }
}
