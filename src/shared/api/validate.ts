import * as v from 'valibot'
import { AppError } from '../errors'
import { isCommandName } from './channels'
import type { CommandInput, CommandName } from './contract'
import { inputSchemas } from './schemas'

/** Checks a channel name and its input at a transport boundary; throws AppError('invalid-input') saying what is wrong. */
export function validateCommand<C extends CommandName>(
  channel: string,
  input: unknown,
): { channel: C; input: CommandInput<C> } {
  if (!isCommandName(channel)) throw new AppError('invalid-input', `Unknown command "${channel}".`)
  const schema = inputSchemas[channel] as v.GenericSchema<unknown, CommandInput<C>>
  const result = v.safeParse(schema, input ?? {})
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    throw new AppError('invalid-input', `Invalid input for ${channel}: ${problems.join('; ')}`)
  }
  return { channel: channel as C, input: result.output }
}
