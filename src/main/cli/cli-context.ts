import type { Cockpit } from '../core/cockpit'
import type { Output } from './output'

/** What a CLI command runs with. */
export interface CliContext {
  cockpit: Cockpit
  out: Output
  /** Positional arguments after the command name. */
  args: string[]
  /** Command-specific options, as parsed. */
  options: Record<string, string | boolean | undefined>
  /** Opens the workspace the user named (--workspace, TRAINYARD_WORKSPACE or the most recent one). */
  openWorkspace: () => Promise<void>
}

/** One `trainyard` subcommand. */
export interface CliCommand {
  name: string
  usage: string
  summary: string
  /**
   * What `trainyard help <command>` prints below usage and summary: arguments, options, what the output means,
   * examples. Written beside the command, so a new command brings its own.
   */
  help?: string
  /** Options this command accepts besides the global ones. */
  options?: Record<string, { type: 'string' | 'boolean'; short?: string }>
  run: (ctx: CliContext) => Promise<number>
}
