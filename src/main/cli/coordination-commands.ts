import { scopeText } from '../../shared/coordination/lock-scope'
import { AppError } from '../../shared/errors'
import type { CoordinationState, LockScope, LockView, Watch } from '../../shared/models/coordination'
import type { CliCommand } from './cli-context'
import { age, short } from './format'
import { table } from './output'

/** Minutes in a duration written as `90`, `45m`, `2h`, `1d` or `1w`. */
export function durationMinutes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)?$/i.exec(text.trim())
  const unit = (match?.[2] ?? 'm').toLowerCase()
  const factor: Record<string, number> = { m: 1, min: 1, h: 60, d: 1440, w: 10_080 }
  const minutes = match ? Math.round(Number(match[1]) * (factor[unit] ?? 1)) : NaN
  if (!Number.isFinite(minutes) || minutes < 1)
    throw new AppError('invalid-input', `"${text}" is not a duration: write e.g. 30m, 2h, 1d.`)
  return minutes
}

function scopeOf(args: string[], options: Record<string, string | boolean | undefined>): LockScope {
  const [environment] = args
  const service = typeof options.service === 'string' ? options.service : undefined
  const region = typeof options.region === 'string' ? options.region : undefined
  if ([service, region, options.all].filter(Boolean).length > 1)
    throw new AppError('invalid-input', 'Say one of --service, --region or --all.')
  if (options.all) return { kind: 'workspace' }
  if (region !== undefined) return { kind: 'region', region }
  if (environment === undefined)
    throw new AppError(
      'invalid-input',
      'Say what to lock: trainyard lock <environment> [--service S] | --region R | --all',
    )
  return service === undefined ? { kind: 'environment', environment } : { kind: 'service', service, environment }
}

function lockRow(lock: LockView): string[] {
  const until = lock.expiresAt ? `until ${lock.expiresAt}` : ''
  return [lock.id, lock.state, scopeText(lock.scope), lock.by.name, age(lock.at), until, lock.reason]
}

function modeLine(state: CoordinationState): string {
  if (state.mode === 'local')
    return 'Local only: the workspace names no coordination repository; teammates do not see these.'
  const fetched = state.fetchedAt ? `fetched ${age(state.fetchedAt)}` : 'never fetched'
  return `Shared through ${state.repo ?? 'the coordination repository'} (${fetched})${state.error ? `; the last fetch failed: ${state.error.message}` : ''}`
}

/** `trainyard lock <environment> [--service S | --region R | --all] --reason "…" [--expires 2h] [--link URL]` */
export const lockCommand: CliCommand = {
  name: 'lock',
  usage: 'lock <environment> [--service S | --region R | --all] --reason "…" [--expires 2h] [--link URL]',
  summary: 'Lock or freeze a target for the team: promotes onto it are refused until it is lifted or expires',
  help: [
    "A lock is shared through the workspace's coordination repository (or kept on this machine without one): every",
    "teammate's promote, train step or release step onto it is refused with `locked`, naming it, unless they override",
    'it with a reason. Without network the lock is not set ("not shared … nothing changed").',
    'Options:',
    '  --service S     only service S in <environment>',
    "  --region R      region R's own environments (production-us for us) and its trains",
    '  --all           the whole workspace',
    '  --reason "…"    why (required)',
    '  --expires 2h    stops applying by itself after 30m, 2h, 1d, 1w…',
    '  --link URL      the incident or ticket',
    'Examples:',
    '  trainyard lock production-us --reason "incident 42: payments failing" --link https://status.acme/42',
    '  trainyard lock production-uk --service billing --reason "audit" --expires 1d',
  ].join('\n'),
  options: {
    service: { type: 'string' },
    region: { type: 'string' },
    all: { type: 'boolean' },
    reason: { type: 'string' },
    expires: { type: 'string' },
    link: { type: 'string' },
  },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const scope = scopeOf(args, options)
    if (typeof options.reason !== 'string' || options.reason.trim() === '')
      throw new AppError('invalid-input', 'Say why: --reason "incident 42: payments failing"')
    await openWorkspace()
    const lock = await cockpit.invoke('coordination.lock', {
      scope,
      reason: options.reason,
      ...(typeof options.expires === 'string' ? { expiresInMinutes: durationMinutes(options.expires) } : {}),
      ...(typeof options.link === 'string' ? { link: options.link } : {}),
    })
    const state = await cockpit.invoke('coordination.state', {})
    out.result(lock, () => `Locked ${scopeText(lock.scope)} (${lock.id}). ${modeLine(state)}`)
    return 0
  },
}

/** `trainyard unlock <lock-id>` */
export const unlockCommand: CliCommand = {
  name: 'unlock',
  usage: 'unlock <lock-id>',
  summary: 'Lift a lock (its id, or a unique part of it, from `trainyard locks`)',
  help: 'Lifts a lock for the whole team; it stays in `trainyard locks --all` with who lifted it and when.',
  async run({ cockpit, out, args, openWorkspace }) {
    const [lockId] = args
    if (lockId === undefined) throw new AppError('invalid-input', 'Say which lock: trainyard unlock <lock-id>')
    await openWorkspace()
    const lock = await cockpit.invoke('coordination.unlock', { lockId })
    out.result(lock, () => `Lifted the lock on ${scopeText(lock.scope)} (${lock.id}).`)
    return 0
  },
}

/** `trainyard locks [--all]` */
export const locksCommand: CliCommand = {
  name: 'locks',
  usage: 'locks [--all]',
  summary: 'Locks in force and who is deploying now (the team’s picture, fetched first)',
  help: [
    'Fetches the coordination repository, then lists the locks in force (id, what, who, since, until, why) and',
    "teammates' deploys in progress; one whose Trainyard stopped reporting is marked stale and blocks nothing.",
    'When the fetch fails it says so and shows the records of the last fetch.',
    'Options:',
    '  --all   lifted and expired locks too',
  ].join('\n'),
  options: { all: { type: 'boolean' } },
  async run({ cockpit, out, options, openWorkspace }) {
    await openWorkspace()
    const state = await cockpit.invoke('coordination.state', { refresh: true })
    const locks = options.all ? state.locks : state.locks.filter((l) => l.state === 'active')
    out.result(state, () => {
      const lines = [modeLine(state)]
      lines.push(locks.length === 0 ? 'No locks in force.' : table(locks.map(lockRow)))
      const others = state.runs.filter((r) => !r.mine)
      for (const run of others) {
        const stale = run.stale ? ' (stale: its Trainyard stopped refreshing it)' : ''
        lines.push(
          `${run.by.name} is deploying ${run.service} ${short(run.sha)} to ${run.environment} since ${age(run.since)}${stale}`,
        )
      }
      return lines.join('\n')
    })
    return 0
  },
}

/** `trainyard signoff <service> <sha> --env <environment> [--note "…"]` */
export const signoffCommand: CliCommand = {
  name: 'signoff',
  usage: 'signoff <service> <sha> --env <environment> [--note "…"]',
  summary: 'Record that QA verified a SHA in an environment (shared with the team)',
  help: [
    '<sha> is a SHA, branch, tag or #PR. An environment with `requireSignoff: [qa]` takes a SHA only when it, or a',
    'commit it ships, was signed off in qa; the sign-off carries forward through later environments.',
    'Example:',
    `  trainyard signoff billing '#187' --env qa --note "regression suite green"`,
  ].join('\n'),
  options: { env: { type: 'string' }, note: { type: 'string' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const [service, target] = args
    if (service === undefined || target === undefined || typeof options.env !== 'string')
      throw new AppError('invalid-input', 'Usage: trainyard signoff <service> <sha> --env <environment> [--note "…"]')
    await openWorkspace()
    const signoff = await cockpit.invoke('coordination.signoff', {
      service,
      target,
      environment: options.env,
      ...(typeof options.note === 'string' ? { note: options.note } : {}),
    })
    out.result(
      signoff,
      () => `Signed off ${service} ${short(signoff.sha)} in ${signoff.environment} as ${signoff.by.name}.`,
    )
    return 0
  },
}

function watchText(watch: Watch): string {
  if (!watch.fired) return `Watching ${watch.query} until it reaches ${watch.environment} (${watch.id}).`
  const how = watch.fired.via ? ` as a cherry-pick` : ''
  return `${watch.query} reached ${watch.environment}${how}: ${watch.fired.service} runs ${short(watch.fired.sha)}.`
}

/** `trainyard watch <sha|#pr> --env <environment>` */
export const watchCommand: CliCommand = {
  name: 'watch',
  usage: 'watch <sha|#pr> --env <environment>',
  summary: 'Get a notification when a commit reaches an environment (cherry-picks included)',
  help: [
    'Kept on this machine: the running app (or web host) notifies you when a probe or a finished deploy shows the',
    'commit, or a cherry-pick of it, in the environment. Already there: it says so at once.',
    'Example:',
    `  trainyard watch '#187' --env production-us`,
  ].join('\n'),
  options: { env: { type: 'string' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const [query] = args
    if (query === undefined || typeof options.env !== 'string')
      throw new AppError('invalid-input', 'Usage: trainyard watch <sha|#pr> --env <environment>')
    await openWorkspace()
    const watch = await cockpit.invoke('watches.add', { query, environment: options.env })
    out.result(watch, () => watchText(watch))
    return 0
  },
}

/** `trainyard watches` */
export const watchesCommand: CliCommand = {
  name: 'watches',
  usage: 'watches',
  summary: 'This machine’s watches, open and fired',
  async run({ cockpit, out, openWorkspace }) {
    await openWorkspace()
    const watches = await cockpit.invoke('watches.list', {})
    out.result(watches, () => (watches.length === 0 ? 'No watches.' : watches.map(watchText).join('\n')))
    return 0
  },
}
