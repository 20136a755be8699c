import { AppError } from '../../shared/errors'
import type { MatrixCell } from '../../shared/models/environments'
import type { CliCommand } from './cli-context'
import { age, short } from './format'
import { table } from './output'

function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return ''
  if (cell.probe.error && !cell.probe.sha) return `! ${cell.probe.error.code}`
  const drift = cell.behindPrevious ? ` -${cell.behindPrevious}` : ''
  const ahead = cell.aheadOfPrevious ? ` +${cell.aheadOfPrevious}` : ''
  return `${short(cell.probe.sha)}${drift}${ahead}`
}

/** `trainyard status` */
export const statusCommand: CliCommand = {
  name: 'status',
  usage: 'status [--refresh]',
  summary: 'What runs where: services × environments, with drift and warnings',
  options: { refresh: { type: 'boolean' } },
  async run({ cockpit, out, options, openWorkspace }) {
    await openWorkspace()
    const matrix = await cockpit.invoke('environments.matrix', { refresh: options.refresh !== false })
    out.result(matrix, () => {
      const rows = [['service', ...matrix.environments]]
      for (const service of matrix.services) {
        rows.push([
          service,
          ...matrix.environments.map((env) =>
            cellText(matrix.cells.find((c) => c.service === service && c.environment === env)),
          ),
        ])
      }
      const warnings = matrix.warnings.map((w) => `  ! ${w.service} ${w.environment}: ${w.message}`)
      return [
        table(rows),
        '',
        '(-N: commits behind the environment before it; +N: commits it lacks)',
        ...(warnings.length ? ['', 'Warnings:', ...warnings] : []),
      ].join('\n')
    })
    return 0
  },
}

/** `trainyard where <sha|#pr|branch>` */
export const whereCommand: CliCommand = {
  name: 'where',
  usage: 'where <sha|#pr|branch> [--service S]',
  summary: 'Is my commit deployed, and where? (cherry-picks included)',
  options: { service: { type: 'string' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const query = args[0]
    if (!query) throw new AppError('invalid-input', 'Say what to look for: trainyard where <sha|#pr|branch>')
    await openWorkspace()
    await cockpit.invoke('environments.matrix', { refresh: true })
    const service = typeof options.service === 'string' ? options.service : undefined
    const answer = await cockpit.invoke('environments.where', service ? { query, service } : { query })
    out.result(answer, () => {
      const lines = answer.resolved.map((r) => `${r.service}: ${short(r.sha)} ${r.subject}`)
      const rows = answer.cells.map((c) => [
        c.service,
        c.environment,
        c.state === 'deployed-as-cherry-pick'
          ? `deployed as cherry-pick ${short(c.equivalentSha)}`
          : c.state === 'unknown'
            ? `unknown (${c.error?.message ?? 'probe error'})`
            : c.state,
        c.since ? `since ${c.since.slice(0, 16).replace('T', ' ')}` : '',
      ])
      return [...lines, '', table(rows)].join('\n')
    })
    return 0
  },
}

/** `trainyard compare <service> <from> <to>` */
export const compareCommand: CliCommand = {
  name: 'compare',
  usage: 'compare <service> <from> <to>',
  summary: 'Commits between two SHAs, branches, tags or environments',
  async run({ cockpit, out, args, openWorkspace }) {
    const [service, from, to] = args
    if (!service || !from || !to)
      throw new AppError(
        'invalid-input',
        'Usage: trainyard compare <service> <from> <to> (an environment name stands for what it runs)',
      )
    await openWorkspace()
    if ([from, to].some((p) => /^[a-z][\w-]*$/.test(p))) await cockpit.invoke('environments.matrix', { refresh: false })
    const comparison = await cockpit.invoke('environments.compare', { service, from, to })
    out.result(comparison, () => {
      const line = (c: (typeof comparison.ahead)[number]) =>
        `  ${short(c.sha)} ${c.time.slice(0, 10)} ${c.author.name.padEnd(16)} ${c.pr ? `#${c.pr} ` : ''}${c.subject}${c.cherryPickOf ? ` (cherry-pick of ${short(c.cherryPickOf.sha)})` : ''}`
      return [
        `${service}: ${from} (${short(comparison.from.sha)}) → ${to} (${short(comparison.to.sha)})`,
        `${comparison.ahead.length} commit(s) in ${to} not in ${from}:`,
        ...comparison.ahead.map(line),
        ...(comparison.behind.length
          ? [`${comparison.behind.length} commit(s) in ${from} not in ${to}:`, ...comparison.behind.map(line)]
          : []),
      ].join('\n')
    })
    return 0
  },
}

/** `trainyard fetch [service]` */
export const fetchCommand: CliCommand = {
  name: 'fetch',
  usage: 'fetch [service]',
  summary: 'Clone or fetch the services’ repositories (progress bar on a terminal)',
  async run({ cockpit, out, args, openWorkspace }) {
    await openWorkspace()
    const tty = process.stderr.isTTY && !out.json
    const stop = cockpit.events.on('repos.progressed', (p) => {
      if (!tty) return
      const bar = p.total
        ? `[${'#'.repeat(Math.round((20 * p.loaded) / p.total)).padEnd(20)}] ${p.loaded}/${p.total}`
        : `${p.loaded}`
      process.stderr.write(`\r\x1b[K${p.service}: ${p.phase} ${bar}`)
    })
    try {
      const service = args[0]
      const statuses = await cockpit.invoke('repos.fetch', service ? { service } : {})
      if (tty) process.stderr.write('\r\x1b[K')
      out.result(statuses, () =>
        table(
          statuses.map((s) => [
            s.service,
            s.state,
            s.commits !== undefined ? `${s.commits} commits` : '',
            s.error?.message ?? age(s.fetchedAt),
          ]),
        ),
      )
      return statuses.some((s) => s.state === 'failed') ? 1 : 0
    } finally {
      stop()
    }
  },
}
