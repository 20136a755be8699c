import type { CliCommand } from './cli-context'

const GLOBAL_HELP = [
  '  --workspace, -w <file>  the workspace file (default: $TRAINYARD_WORKSPACE, then the most recent one)',
  '  --json                  machine-readable output on stdout',
  '  --help, -h              this help',
]

// The summary column starts here; a longer usage gets its summary on the next line, so one long command does not
// push every line of the list past the terminal's width.
const USAGE_COLUMN = 44

function commandList(commands: CliCommand[]): string[] {
  const width = Math.min(USAGE_COLUMN, Math.max(...commands.map((c) => c.usage.length)))
  return commands.flatMap((c) =>
    c.usage.length <= width
      ? [`  ${c.usage.padEnd(width)}  ${c.summary}`]
      : [`  ${c.usage}`, `  ${' '.repeat(width)}  ${c.summary}`],
  )
}

/** The help text: every command with its usage and summary. */
export function helpText(commands: CliCommand[]): string {
  return [
    'trainyard: see what runs where, promote SHAs safely, run release trains.',
    '',
    'Usage: trainyard <command> [options]',
    '',
    'Commands:',
    ...commandList(commands),
    '',
    'Options:',
    ...GLOBAL_HELP,
    '',
    'Run `trainyard help <command>` (or `trainyard <command> --help`) for what a command takes and prints.',
    'Data lives under $TRAINYARD_HOME when it is set, else the platform’s app data and cache folders.',
  ].join('\n')
}

/**
 * One command's help: usage, summary, the command's own text (arguments, options, examples), the commands under
 * it (`trains` → `trains cut`…), the global options.
 */
export function commandHelp(command: CliCommand, commands: CliCommand[]): string {
  const under = commands.filter((c) => c.name.startsWith(`${command.name} `))
  return [
    `Usage: trainyard ${command.usage}`,
    '',
    command.summary,
    ...(command.help ? ['', command.help.trimEnd()] : []),
    ...(under.length > 0 ? ['', 'Commands under it:', ...commandList(under)] : []),
    '',
    'Options every command takes:',
    ...GLOBAL_HELP,
  ].join('\n')
}

/** The help of a group of commands (`trainyard hotfix --help`): each command of it with usage and summary. */
export function groupHelp(group: string, commands: CliCommand[]): string {
  return [
    `Usage: trainyard ${group} <command> [options]`,
    '',
    'Commands:',
    ...commandList(commands),
    '',
    `Run \`trainyard help ${group} <command>\` for one of them.`,
  ].join('\n')
}
