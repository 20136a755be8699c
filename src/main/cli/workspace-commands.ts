import { AppError } from '../../shared/errors'
import type { WorkspaceProblem } from '../../shared/api/views'
import type { CliCommand } from './cli-context'
import { table } from './output'

function problemLines(problems: WorkspaceProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`).join('\n')
}

/** `trainyard validate <file>` */
export const validateCommand: CliCommand = {
  name: 'validate',
  usage: 'validate <file>',
  summary: 'Check a workspace file; prints every problem as file:line:column',
  help: [
    'Reads the file as Trainyard would and prints every problem as file:line:column: message (hint).',
    'Exit 0 when it is valid, 1 when it is not. The format is described in docs/workspace-format.md.',
    'Example:',
    '  trainyard validate team.trainyard.yaml',
  ].join('\n'),
  async run({ cockpit, out, args }) {
    const file = args[0]
    if (!file) throw new AppError('invalid-input', 'Say which file to check: trainyard validate <file>')
    const problems = await cockpit.invoke('workspace.validate', { file })
    out.result({ file, valid: problems.length === 0, problems }, () =>
      problems.length === 0 ? `${file}: valid` : `${problemLines(problems)}\n${problems.length} problem(s)`,
    )
    return problems.length === 0 ? 0 : 1
  },
}

/** `trainyard workspace show` */
export const workspaceShowCommand: CliCommand = {
  name: 'workspace show',
  usage: 'workspace show',
  summary: 'Show the workspace: services, and environments per region path',
  help: [
    `The open workspace: its services with default branch and repository, and each region's path of environments.`,
  ].join('\n'),
  async run({ cockpit, out, openWorkspace }) {
    await openWorkspace()
    const view = await cockpit.invoke('workspace.current', {})
    const ws = view?.workspace
    if (!view || !ws) throw new AppError('no-workspace', 'No workspace is open.')
    out.result(view, () => {
      const lines = [`${ws.name}  (${view.file})`, '', 'Services:']
      lines.push(table(ws.services.map((s) => [`  ${s.name}`, s.defaultBranch, s.repo.url])))
      lines.push('', 'Regions:')
      for (const region of ws.regions) lines.push(`  ${region.label} (${region.name}): ${region.path.join(' → ')}`)
      return lines.join('\n')
    })
    return 0
  },
}
