import type { CliCommand } from './cli-context'

/** `trainyard demo` */
export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [--reset]',
  summary: 'Prepare the built-in demo and print how to use it from the CLI',
  help: [
    `Generates the demo's repositories, workspace file and simulators in its own data folder (or`,
    '$TRAINYARD_DEMO_DIR) and prints the workspace file to use.',
    'Options:',
    '  --reset   recreate the demo from scratch',
  ].join('\n'),
  options: { reset: { type: 'boolean' } },
  async run({ cockpit, out, options }) {
    const view = await cockpit.invoke('demo.start', { reset: options.reset === true })
    out.result({ workspace: view.file }, () =>
      [
        `The demo is ready: ${view.file}`,
        '',
        'Use it with any command, e.g.:',
        `  export TRAINYARD_WORKSPACE=${view.file}`,
        '  trainyard fetch && trainyard status',
        '  trainyard where us-release',
        '',
        'Its Rundeck, Jenkins, git server and version pages start inside each trainyard process that opens it.',
      ].join('\n'),
    )
    return 0
  },
}
