import { toErrorData, AppError } from '../../shared/errors'
import { failed, ok, type Outcome } from '../../shared/outcome'
import type { CommandInput, CommandName, CommandOutput } from '../../shared/api/contract'
import { validateCommand } from '../../shared/api/validate'
import type { EventHub } from './events'
import type { Logger } from './logger'

/** One function per command: what the core does for each channel of the contract. */
export type CommandHandlers = {
  [C in CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>>
}

/**
 * The cockpit as every transport sees it: validated commands in, outcomes and events out.
 * Electron IPC, the web host and the CLI all call `dispatch` or `invoke` on the same instance.
 */
export class Cockpit {
  readonly events: EventHub

  constructor(
    private readonly handlers: CommandHandlers,
    events: EventHub,
    private readonly logger: Logger,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.events = events
  }

  /** Validates and runs a command from an untrusted transport; never throws. */
  async dispatch(channel: string, input: unknown): Promise<Outcome<unknown>> {
    try {
      const command = validateCommand(channel, input)
      return ok(await this.run(command.channel, command.input))
    } catch (error) {
      if (!(error instanceof AppError)) this.logger.error(`command ${channel} failed`, error)
      return failed(toErrorData(error))
    }
  }

  /** Runs a command from trusted code (the CLI); validates the input and throws AppError on failure. */
  async invoke<C extends CommandName>(channel: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const command = validateCommand<C>(channel, input)
    try {
      return await this.run(command.channel, command.input)
    } catch (error) {
      if (error instanceof AppError) throw error
      this.logger.error(`command ${channel} failed`, error)
      throw new AppError('internal', toErrorData(error).message)
    }
  }

  /** Stops background work (fetch timers, pollers) and closes servers it started. */
  async close(): Promise<void> {
    await this.onClose()
  }

  private run<C extends CommandName>(channel: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const handler = this.handlers[channel] as (input: CommandInput<C>) => Promise<CommandOutput<C>>
    return handler(input)
  }
}
