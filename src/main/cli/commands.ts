import type { CliCommand } from './cli-context'
import { credentialsDeleteCommand, credentialsListCommand, credentialsSetCommand } from './credential-commands'
import { demoCommand } from './demo-command'
import { abortCommand, deploysCommand, promoteCommand } from './deploy-commands'
import { compareCommand, fetchCommand, statusCommand, whereCommand } from './environment-commands'
import { validateCommand, workspaceShowCommand } from './workspace-commands'

/** Every `trainyard` subcommand, in the order `--help` lists them. */
export const cliCommands: CliCommand[] = [
  statusCommand,
  whereCommand,
  compareCommand,
  fetchCommand,
  promoteCommand,
  deploysCommand,
  abortCommand,
  workspaceShowCommand,
  validateCommand,
  credentialsSetCommand,
  credentialsListCommand,
  credentialsDeleteCommand,
  demoCommand,
]
