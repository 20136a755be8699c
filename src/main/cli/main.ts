import { parseArgs } from 'node:util'
import { AppError } from '../../shared/errors'
import { createNodeCockpit } from '../node-cockpit'
import type { Cockpit } from '../core/cockpit'
import type { CliCommand, CliContext } from './cli-context'
import { cliCommands } from './commands'
import { processOutput } from './output'

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  workspace: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The help text: every command with its usage and summary. */
export function helpText(): string {
  const width = Math.max(...cliCommands.map((c) => c.usage.length))
  return [
    'trainyard: see what runs where, promote SHAs safely, run release trains.',
    '',
    'Usage: trainyard <command> [options]',
    '',
    'Commands:',
    ...cliCommands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --workspace, -w <file>  the workspace file (default: $TRAINYARD_WORKSPACE, then the most recent one)',
    '  --json                  machine-readable output on stdout',
    '  --help, -h              this help',
  ].join('\n')
}

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

/** Runs the CLI; returns the exit code (non-zero with the error's message on failure). */
export async function main(
  argv: string[],
  makeCockpit: () => Promise<Cockpit> = () => createNodeCockpit(),
): Promise<number> {
  const json = argv.includes('--json')
  const out = processOutput(json)
  const found = findCommand(argv)
  if (!found || argv.includes('--help') || argv.includes('-h')) {
    if (found || argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${helpText()}\n`)
      return argv.length === 0 ? 1 : 0
    }
    out.error(
      new AppError('invalid-input', `Unknown command "${argv.join(' ')}". Run \`trainyard --help\` for the list.`),
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
