import { AppError } from '../../shared/errors'
import type { CliCommand } from './cli-context'
import { table } from './output'
import { readSecret } from './read-secret'

/** `trainyard credentials set <name>`: the secret comes from stdin, never from the command line. */
export const credentialsSetCommand: CliCommand = {
  name: 'credentials set',
  usage: 'credentials set <name>',
  summary: 'Store a secret in the system keychain (typed without echo, or piped on stdin)',
  help: [
    '<name> is a credential named in the workspace (e.g. `credential: rundeck-token`). The secret is typed',
    'without echo, or read whole from a pipe; it never appears on the command line, in a file or in output.',
    'Examples:',
    '  trainyard credentials set rundeck-token',
    '  printf %s "$TOKEN" | trainyard credentials set rundeck-token',
  ].join('\n'),
  async run({ cockpit, out, args }) {
    const name = args[0]
    if (!name) throw new AppError('invalid-input', 'Say which credential to set: trainyard credentials set <name>')
    const secret = await readSecret(`Secret for ${name}: `)
    if (!secret) throw new AppError('invalid-input', 'The secret is empty; nothing was stored.')
    const state = await cockpit.invoke('credentials.set', { name, secret })
    out.result(state, () => `${name}: stored in the keychain`)
    return 0
  },
}

/** `trainyard credentials list` */
export const credentialsListCommand: CliCommand = {
  name: 'credentials list',
  usage: 'credentials list',
  summary: "List the workspace's credentials and whether each is set (never their values)",
  help: ['States are set, not-set or check-failed, with the endpoints and repositories that use each credential.'].join(
    '\n',
  ),
  async run({ cockpit, out, openWorkspace }) {
    await openWorkspace()
    const states = await cockpit.invoke('credentials.list', {})
    out.result(states, () =>
      states.length === 0
        ? 'This workspace names no credentials.'
        : table(states.map((s) => [s.name, s.state, s.usedBy.join(', ')])),
    )
    return 0
  },
}

/** `trainyard credentials delete <name>` */
export const credentialsDeleteCommand: CliCommand = {
  name: 'credentials delete',
  usage: 'credentials delete <name>',
  summary: 'Remove a secret from the keychain',
  help: ['Removes the secret stored under <name> from the system keychain.'].join('\n'),
  async run({ cockpit, out, args }) {
    const name = args[0]
    if (!name)
      throw new AppError('invalid-input', 'Say which credential to delete: trainyard credentials delete <name>')
    const state = await cockpit.invoke('credentials.delete', { name })
    out.result(state, () => `${name}: removed from the keychain`)
    return 0
  },
}
