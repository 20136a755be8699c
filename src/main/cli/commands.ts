import type { CliCommand } from './cli-context'
import {
  lockCommand,
  locksCommand,
  signoffCommand,
  unlockCommand,
  watchCommand,
  watchesCommand,
} from './coordination-commands'
import { credentialsDeleteCommand, credentialsListCommand, credentialsSetCommand } from './credential-commands'
import { demoCommand } from './demo-command'
import { abortCommand, deploysCommand, promoteCommand, settleCommand } from './deploy-commands'
import { setsAbortCommand, setsCommand, setsResumeCommand } from './set-commands'
import { compareCommand, fetchCommand, statusCommand, whereCommand } from './environment-commands'
import {
  hotfixCreateCommand,
  hotfixPickCommand,
  hotfixPushCommand,
  trainsCommand,
  trainsCutCommand,
  trainsPromoteCommand,
} from './train-commands'
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
  settleCommand,
  setsCommand,
  setsResumeCommand,
  setsAbortCommand,
  trainsCommand,
  trainsPromoteCommand,
  trainsCutCommand,
  hotfixCreateCommand,
  hotfixPickCommand,
  hotfixPushCommand,
  lockCommand,
  unlockCommand,
  locksCommand,
  signoffCommand,
  watchCommand,
  watchesCommand,
  workspaceShowCommand,
  validateCommand,
  credentialsSetCommand,
  credentialsListCommand,
  credentialsDeleteCommand,
  demoCommand,
]
