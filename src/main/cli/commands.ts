import type { CliCommand } from './cli-context'
import { credentialsDeleteCommand, credentialsListCommand, credentialsSetCommand } from './credential-commands'
import { validateCommand, workspaceShowCommand } from './workspace-commands'

/** Every `trainyard` subcommand, in the order `--help` lists them. */
export const cliCommands: CliCommand[] = [
  workspaceShowCommand,
  validateCommand,
  credentialsSetCommand,
  credentialsListCommand,
  credentialsDeleteCommand,
]
