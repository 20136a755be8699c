import { AppError } from '../../shared/errors'
import type { HotfixBranchStatus, RegionTrains, TrainBoard, TrainPromotionPlan } from '../../shared/models/trains'
import type { CliCommand } from './cli-context'
import { short } from './format'
import { oneLine } from './terminal-text'
import { table } from './output'

const hours = (ms: number): string => `${Math.floor(ms / 86_400_000)}d ${Math.floor((ms % 86_400_000) / 3_600_000)}h`

/** The board as text: regions, trains and hotfix reminders. */
export function boardText(board: TrainBoard): string {
  const lines: string[] = []
  for (const r of board.regions) {
    const season =
      r.seasoning === undefined
        ? ''
        : r.seasoning.done
          ? ' (seasoned)'
          : ` (seasoning, ${hours(r.seasoning.leftMs)} left)`
    lines.push(`${r.label}: runs ${r.current?.name ?? 'mixed trains'}${season}; ${nextText(board, r)}`)
    lines.push(`  ${r.dryRun.summary}`)
    for (const s of r.dryRun.skips.filter((x) => x.reason !== 'up-to-date')) lines.push(`  skip ${s.message}`)
  }
  lines.push(
    '',
    table([
      ['TRAIN', 'CUT', 'PHASE', 'LIVE IN'],
      ...board.trains.map((t) => [t.train.name, t.train.cutDate, t.phase, t.liveIn.join(', ')]),
    ]),
  )
  for (const h of board.hotfixes) lines.push('', hotfixText(h))
  for (const w of board.warnings) lines.push(`! ${w.message}`)
  lines.push('', `Next cut ${board.nextCut}`)
  return lines.join('\n')
}

/** A region's next step in words: the train waiting for it, or what it waits for. */
function nextText(board: TrainBoard, r: RegionTrains): string {
  if (r.next !== undefined)
    return `next ${r.next.name}${r.next.manualCut ? ` (cut by hand ${r.next.manualCut.at})` : ''}`
  const upcoming = r.upcoming
  const status = board.trains.find((t) => t.train.id === upcoming?.train.id)
  if (upcoming === undefined || status === undefined) return 'no train cut yet'
  if (upcoming.planned) return `up to date; ${upcoming.train.name} is cut ${upcoming.train.cutAt}`
  const first = board.regions[0]?.label ?? 'the first region'
  const until = status.seasoning?.until
  return `waits for ${upcoming.train.name} to season in ${first}${until ? ` (until ${until})` : ''}`
}

function hotfixText(h: HotfixBranchStatus): string {
  const head = `${h.service} ${h.branch} at ${short(h.tip)}: ${h.fixes.length} fix(es); deployed in ${h.deployedIn.join(', ') || 'nothing'}${h.deletable ? '; can be deleted' : ''}`
  return [
    head,
    ...h.fixes.map(
      (f) =>
        `  ${short(f.sha)} ${oneLine(f.subject)}${f.source ? ` (from ${short(f.source.sha)} by ${f.source.via})` : ''}`,
    ),
  ].join('\n')
}

function planText(plan: TrainPromotionPlan): string {
  return [
    plan.summary,
    ...plan.steps.map((s, i) => {
      const why = s.requiredBy ? ` (${s.requiredBy} requires it first)` : ''
      const leaves = s.rollbackReason ? ` (rollback: ${s.rollbackReason})` : ''
      const refused = s.blockers.map((b) => `\n     refused: ${b.message}`).join('')
      return `  ${i + 1}. ${s.service} → ${s.environment} ${short(s.sha)}${why}${leaves}${refused}`
    }),
  ].join('\n')
}

/** `trainyard trains` */
export const trainsCommand: CliCommand = {
  name: 'trains',
  usage: 'trains [--json]',
  summary: 'The release trains board: what each region runs, takes next, and hotfix reminders',
  help: [
    'For each region: the train it runs (exact, hotfix or ahead), the next train it takes and when, seasoning',
    'left, the dry run of promoting it, and hotfix reminders (fixes on a hotfix branch not yet on a train).',
  ].join('\n'),
  async run({ cockpit, out, openWorkspace }) {
    await openWorkspace()
    const board = await cockpit.invoke('trains.board', {})
    out.result(board, () => boardText(board))
    return 0
  },
}

/** `trainyard trains promote <region> <train>` */
export const trainsPromoteCommand: CliCommand = {
  name: 'trains promote',
  usage: 'trains promote <region> <train name or id> [--yes | --dry-run] [--override-lock "why"]',
  summary: 'Promote a train to a region: its planned deploys, as a set in dependency order',
  help: [
    'Without --yes it prints the plan and exits 1: every service → environment deploy, checked as the run will',
    'check it (staging first where production requires a successful deploy there), and anything that refuses it.',
    'With --dry-run it prints the plan, sends nothing, and exits 0 when it would go ahead, 1 when refused.',
    'With --yes it runs the plan as a set (journaled; `trainyard sets`), starting nothing while a step is refused,',
    'and stops at the first failed deploy.',
    'Options:',
    '  --yes, -y                run it',
    '  --dry-run                print the plan only; the exit code says whether it would go ahead',
    '  --override-lock "why"    go ahead over the locks on the region, recording why on every run',
    'Example:',
    '  trainyard trains promote uk ALICIA --yes',
  ].join('\n'),
  options: {
    yes: { type: 'boolean', short: 'y' },
    'dry-run': { type: 'boolean' },
    'override-lock': { type: 'string' },
  },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const [region, name] = args
    if (region === undefined || name === undefined)
      throw new AppError('invalid-input', 'Usage: trainyard trains promote <region> <train> [--yes]')
    await openWorkspace()
    const board = await cockpit.invoke('trains.board', {})
    const rt = board.regions.find((r) => r.region === region)
    const matches = board.trains.filter((t) => t.train.id === name || t.train.name.toLowerCase() === name.toLowerCase())
    const train = matches.find((t) => t.train.id === rt?.next?.id) ?? matches[matches.length - 1]
    if (train === undefined) throw new AppError('not-found', `No train "${name}" on the board.`)
    const dryRun = options['dry-run'] === true
    if (!options.yes || dryRun) {
      const override = options['override-lock']
      const plan = await cockpit.invoke('trains.preview', {
        region,
        trainId: train.train.id,
        ...(typeof override === 'string' ? { overrideLock: { reason: override } } : {}),
      })
      out.result(plan, () =>
        [
          planText(plan),
          plan.refusals.length > 0
            ? `Refused: nothing would start. ${plan.refusals.map((r) => r.message).join(' ')}`
            : dryRun
              ? `Dry run: nothing was sent. It would go ahead.`
              : `Run again with --yes to promote ${train.train.name} to ${region}.`,
        ].join('\n'),
      )
      return dryRun && plan.refusals.length === 0 ? 0 : 1
    }
    const stop = cockpit.events.on('trains.changed', ({ step }) => {
      if (!out.json) out.line(step)
    })
    try {
      const override = options['override-lock']
      const result = await cockpit.invoke('trains.promote', {
        region,
        trainId: train.train.id,
        ...(typeof override === 'string' ? { overrideLock: { reason: override } } : {}),
      })
      out.result(result, () =>
        result.stopped
          ? `Stopped at ${result.stopped.service} → ${result.stopped.environment}: ${result.stopped.reason}`
          : `${result.train.name} promoted to ${region}: ${result.runs.length} run(s).`,
      )
      return result.stopped ? 1 : 0
    } finally {
      stop()
    }
  },
}

/** `trainyard trains cut` */
export const trainsCutCommand: CliCommand = {
  name: 'trains cut',
  usage: 'trains cut',
  summary: 'Cut the next train now: freeze it at every default branch as it is',
  help: [
    `Records a manual cut: the next train is frozen at every service's default branch as of now, instead of at`,
    'the scheduled cut time.',
  ].join('\n'),
  async run({ cockpit, out, openWorkspace }) {
    await openWorkspace()
    const board = await cockpit.invoke('trains.cut', {})
    out.result(board, () => `The train cut at ${board.nextCut} is frozen at the default branches as of now.`)
    return 0
  },
}

/** `trainyard hotfix create <service> <region> [--at <sha>]` */
export const hotfixCreateCommand: CliCommand = {
  name: 'hotfix create',
  usage: 'hotfix create <service> <region> [--at <sha>]',
  summary: "Create the region's hotfix branch locally at the train it runs",
  help: [
    "Creates the region's hotfix branch (`hotfixBranch` in the workspace, default {region}-release) in the",
    'local clone, at the SHA of the train the region runs, or at --at <sha>. A branch that already exists (here',
    'or on the remote) is left as it is, and the output says so.',
    'Example:',
    '  trainyard hotfix create billing us',
  ].join('\n'),
  options: { at: { type: 'string' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const [service, region] = args
    if (service === undefined || region === undefined)
      throw new AppError('invalid-input', 'Usage: trainyard hotfix create <service> <region>')
    await openWorkspace()
    const status = await cockpit.invoke('hotfix.create', {
      service,
      region,
      ...(typeof options.at === 'string' ? { at: options.at } : {}),
    })
    out.result(status, () =>
      [
        status.created ? `Created ${status.branch}.` : `${status.branch} already exists; left as it is.`,
        hotfixText(status),
      ].join('\n'),
    )
    return 0
  },
}

/** `trainyard hotfix pick <service> <branch> <sha…> [--dry-run]` */
export const hotfixPickCommand: CliCommand = {
  name: 'hotfix pick',
  usage: 'hotfix pick <service> <branch> <sha|#PR…> [--dry-run] [--mainline 1]',
  summary:
    'Cherry-pick fixes from master onto a local hotfix branch (a #PR picks its own commits; --mainline 1 picks merges whole)',
  help: [
    "Each <sha|#PR> is cherry-picked with `-x` semantics (3-way merge, commits byte-identical to git's). When any",
    'pick conflicts, nothing is written and the conflicting paths are listed. A #PR merged with a merge commit',
    "stands for the pull request's own commits; a merge commit named by SHA needs --mainline 1 (git's -m 1).",
    'Options:',
    '  --dry-run        only say what would be picked',
    '  -m, --mainline N pick merge commits whole, against their parent N (1: the branch they were merged into)',
    'Example:',
    `  trainyard hotfix pick billing us-release '#212' 4be1c07`,
  ].join('\n'),
  options: { 'dry-run': { type: 'boolean' }, mainline: { type: 'string', short: 'm' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const [service, branch, ...commits] = args
    if (service === undefined || branch === undefined || commits.length === 0)
      throw new AppError('invalid-input', 'Usage: trainyard hotfix pick <service> <branch> <sha…>')
    await openWorkspace()
    const outcome = await cockpit.invoke('hotfix.pick', {
      service,
      branch,
      commits,
      dryRun: options['dry-run'] === true,
      ...(typeof options.mainline === 'string' ? { mainline: Number(options.mainline) } : {}),
    })
    out.result(outcome, () =>
      outcome.ok
        ? [
            `${outcome.dryRun ? 'Would pick' : 'Picked'} onto ${branch} (tip ${short(outcome.tip)}):`,
            ...outcome.picked.map(
              (p) =>
                `  ${short(p.from)} → ${p.to ? short(p.to) : '…'} ${oneLine(p.subject)}${p.input && !p.subject.includes(p.input) ? ` (${p.input})` : ''}`,
            ),
          ].join('\n')
        : [
            'Conflicts, nothing written:',
            ...outcome.conflicts.map(
              (c) =>
                `  ${short(c.commit)} ${oneLine(c.subject)}: ${c.paths.map((p) => (p.path === '' ? 'already on the branch (empty pick)' : `${p.path} (${p.kind})`)).join(', ')}`,
            ),
          ].join('\n'),
    )
    return outcome.ok ? 0 : 1
  },
}

/** `trainyard hotfix push <service> <branch>` */
export const hotfixPushCommand: CliCommand = {
  name: 'hotfix push',
  usage: 'hotfix push <service> <branch>',
  summary: 'Push a hotfix branch with a lease on the remote branch as last fetched',
  help: [
    `Pushes the local hotfix branch to the service's remote, refusing if the remote branch moved since the last fetch.`,
  ].join('\n'),
  async run({ cockpit, out, args, openWorkspace }) {
    const [service, branch] = args
    if (service === undefined || branch === undefined)
      throw new AppError('invalid-input', 'Usage: trainyard hotfix push <service> <branch>')
    await openWorkspace()
    const status = await cockpit.invoke('hotfix.push', { service, branch })
    out.result(
      status,
      () =>
        `Pushed.\n${hotfixText(status)}\nPromote it with \`trainyard promote ${service} ${branch} --to <production>\`.`,
    )
    return 0
  },
}
