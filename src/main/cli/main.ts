import { parseArgs } from 'node:util'
import { AppError } from '../../shared/errors'
import type { Cockpit } from '../core/cockpit'
import type { CliCommand, CliContext } from './cli-context'
import { cliCommands } from './commands'
import { commandHelp, groupHelp, helpText } from './help'
import { processOutput, type Output } from './output'

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  workspace: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The words of a command line, without options and the values of options that take one. */
function commandWords(argv: string[]): string[] {
  const valued = new Set<string>()
  const tables: Record<string, { type: 'string' | 'boolean'; short?: string }>[] = [
    GLOBAL_OPTIONS,
    ...cliCommands.map((c) => c.options ?? {}),
  ]
  for (const options of tables) {
    for (const [name, spec] of Object.entries(options)) {
      if (spec.type !== 'string') continue
      valued.add(`--${name}`)
      if (spec.short) valued.add(`-${spec.short}`)
    }
  }
  const words: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (valued.has(arg)) i++
    else if (!arg.startsWith('-')) words.push(arg)
  }
  return words
}

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const words = commandWords(argv)
  for (const command of [...cliCommands].sort((a, b) => b.name.length - a.name.length)) {
    const parts = command.name.split(' ')
    if (parts.every((p, i) => words[i] === p)) {
      const rest = [...argv]
      for (const part of parts) rest.splice(rest.indexOf(part), 1)
      return { command, rest }
    }
  }
  return undefined
}

/** `trainyard help [command…]`: the general help, a command's, or a group's (`hotfix`); exit 2 for no such command. */
function printHelp(out: Output, words: string[]): number {
  const name = words.join(' ')
  if (name === '') {
    out.line(helpText(cliCommands))
    return 0
  }
  const command = cliCommands.find((c) => c.name === name)
  if (command) {
    out.line(commandHelp(command, cliCommands))
    return 0
  }
  const group = cliCommands.filter((c) => c.name.startsWith(`${name} `))
  if (group.length > 0) {
    out.line(groupHelp(name, group))
    return 0
  }
  out.error(new AppError('invalid-input', `There is no command "${name}". Run \`trainyard --help\` for the list.`))
  return 2
}

/** Runs the CLI; returns the exit code (non-zero with the error's message on failure). */
export async function main(
  argv: string[],
  // Loaded on demand, so `--help` and mistakes answer without loading git, HTTP and the keychain.
  makeCockpit: () => Promise<Cockpit> = async () =>
    (await import('../node-cockpit')).createNodeCockpit({ oneShot: true }),
): Promise<number> {
  const json = argv.includes('--json')
  const out = processOutput(json)
  const asksHelp = argv.includes('--help') || argv.includes('-h')
  if (argv.length === 0) {
    out.line(helpText(cliCommands))
    return 1
  }
  if (commandWords(argv)[0] === 'help') return printHelp(out, commandWords(argv).slice(1))
  const found = findCommand(argv)
  if (asksHelp) return printHelp(out, found ? found.command.name.split(' ') : commandWords(argv))
  if (!found) {
    const group = commandWords(argv)[0] ?? ''
    const members = cliCommands.filter((c) => c.name.startsWith(`${group} `))
    out.error(
      new AppError(
        'invalid-input',
        members.length > 0
          ? `"${group}" needs one of: ${members.map((c) => c.name.slice(group.length + 1)).join(', ')}. Run \`trainyard help ${group}\`.`
          : `Unknown command "${argv.join(' ')}". Run \`trainyard --help\` for the list.`,
      ),
    )
    return 2
  }
  let cockpit: Cockpit | undefined
  try {
    const { values, positionals } = parseArgs({
      args: found.rest,
      options: { ...GLOBAL_OPTIONS, ...found.command.options },
      allowPositionals: true,
    })
    cockpit = await makeCockpit()
    const active = cockpit
    const ctx: CliContext = {
      cockpit: active,
      out,
      args: positionals,
      options: values,
      openWorkspace: async () => {
        const file =
          (typeof values.workspace === 'string' ? values.workspace : undefined) ??
          process.env.TRAINYARD_WORKSPACE ??
          (await active.invoke('workspace.recent', {}))[0]
        if (!file)
          throw new AppError('no-workspace', 'No workspace given: pass --workspace <file> or set TRAINYARD_WORKSPACE.')
        const view = await active.invoke('workspace.open', { file })
        if (view.workspace) for (const note of (await active.invoke('deploys.journal', {})).found) out.warn(note)
        if (!view.workspace) {
          const first = view.problems[0]
          throw new AppError(
            'invalid-workspace',
            `${file} has ${view.problems.length} problem(s)${first ? `; first: ${first.line}:${first.column}: ${first.message}` : ''}. Run \`trainyard validate ${file}\`.`,
            { problems: view.problems },
          )
        }
      },
    }
    return await found.command.run(ctx)
  } catch (error) {
    out.error(
      error instanceof AppError
        ? error
        : new AppError('invalid-input', error instanceof Error ? error.message : String(error)),
    )
    return 1
  } finally {
    await cockpit?.close()
  }
}
