import { AppError } from '../../shared/errors'
import type { MatrixCell } from '../../shared/models/environments'
import type { CliCommand } from './cli-context'
import { age, short } from './format'
import { oneLine } from './terminal-text'
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
  help: [
    'Each cell is the short SHA an environment runs, with its drift from the environment before it in the',
    `region's path:`,
    '  -N  commits the environment before it has that this one lacks (waiting to be promoted here)',
    '  +N  commits this environment has that the one before lacks (a hotfix, or a deploy out of order)',
    '  ! code  the probe failed; the warnings below say why',
    'Every run asks the probes afresh (`--refresh` is accepted and is the default).',
    'Example:',
    '  trainyard status --workspace team.trainyard.yaml',
  ].join('\n'),
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
        '(-N: commits the environment before it has that this one lacks;',
        ' +N: commits this environment has that the one before lacks: a hotfix or a deploy out of order)',
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
  help: [
    '<query> is a full SHA, a short one (at least 4 hex digits, unique in the clone), a pull request as #123,',
    'or a branch or tag name. For each service that has it and each environment, the state is one of:',
    '  deployed                 the environment runs it or a descendant of it',
    '  deployed-as-cherry-pick  the environment runs a copy of it (found by the `cherry picked from` trailer or the patch-id)',
    `  not-deployed             the environment's SHA does not contain it`,
    '  unknown                  the probe failed, so nobody knows; or "not yet known" (code not-ready): cherry-picks',
    '                           are still being indexed, or the clone has only recent history so far (history loading)',
    'How the query was read (`via` in --json): sha, pr (the merge commit of #N on the default branch), branch or ref (a tag).',
    'Options:',
    '  --service S    look only in service S',
    'Examples:',
    '  trainyard where 3f9a2c1',
    `  trainyard where '#187' --service billing`,
  ].join('\n'),
  options: { service: { type: 'string' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const query = args[0]
    if (!query) throw new AppError('invalid-input', 'Say what to look for: trainyard where <sha|#pr|branch>')
    await openWorkspace()
    await cockpit.invoke('environments.matrix', { refresh: true })
    const service = typeof options.service === 'string' ? options.service : undefined
    const answer = await cockpit.invoke('environments.where', service ? { query, service } : { query })
    out.result(answer, () => {
      const lines = answer.resolved.map((r) => `${r.service}: ${short(r.sha)} ${oneLine(r.subject)}`)
      const rows = answer.cells.map((c) => [
        c.service,
        c.environment,
        c.state === 'deployed-as-cherry-pick'
          ? `deployed as cherry-pick ${short(c.equivalentSha)}`
          : c.state === 'unknown' && c.error?.code === 'not-ready'
            ? `not yet known (${c.error.message})`
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
  help: [
    '<from> and <to> are SHAs, branches, tags or environment names (an environment stands for the SHA it runs).',
    'The first list is what <to> has that <from> lacks (`ahead`, `aheadCount` in --json): what a promote from',
    '<from> to <to> would ship. The second is what <from> has that <to> lacks (`behind`, `behindCount`).',
    'A commit whose change the other side already has as a cherry-pick is marked [already in … as <sha>]',
    '(`alreadyAs` in --json).',
    'Examples:',
    '  trainyard compare billing staging production-uk',
    '  trainyard compare billing v1.4.0 master',
  ].join('\n'),
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
      const line = (other: string) => (c: (typeof comparison.ahead)[number]) =>
        `  ${short(c.sha)} ${c.time.slice(0, 10)} ${c.author.name.padEnd(16)} ${c.pr ? `#${c.pr} ` : ''}${oneLine(c.subject)}${c.cherryPickOf ? ` (cherry-pick of ${short(c.cherryPickOf.sha)})` : ''}${c.alreadyAs ? ` [already in ${oneLine(other)} as ${short(c.alreadyAs.sha)}]` : ''}`
      return [
        `${service}: ${from} (${short(comparison.from.sha)}) → ${to} (${short(comparison.to.sha)})`,
        `${comparison.ahead.length} commit(s) in ${to} not in ${from}:`,
        ...comparison.ahead.map(line(from)),
        ...(comparison.behind.length
          ? [`${comparison.behind.length} commit(s) in ${from} not in ${to}:`, ...comparison.behind.map(line(to))]
          : []),
        ...(comparison.cherryPicksPending ? [comparison.cherryPicksPending] : []),
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
  help: [
    `Clones a service the first time (into Trainyard's data folder), fetches it afterwards, and updates its`,
    'commit index. Without a service, every service of the workspace. Exit 1 when any fetch failed.',
    'Example:',
    '  trainyard fetch billing',
  ].join('\n'),
  async run({ cockpit, out, args, openWorkspace }) {
    await openWorkspace()
    const stop = cockpit.events.on('repos.progressed', (p) => {
      const bar = p.total
        ? `[${'#'.repeat(Math.round((20 * p.loaded) / p.total)).padEnd(20)}] ${p.loaded}/${p.total}`
        : `${p.loaded}`
      out.progress(`${p.service}: ${p.phase} ${bar}`)
    })
    try {
      const service = args[0]
      const statuses = await cockpit.invoke('repos.fetch', service ? { service } : {})
      out.progress('')
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
