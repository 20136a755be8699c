import { AppError } from '../../shared/errors'
import { setStopped, type ReleaseSet, type SetRequest } from '../../shared/models/release-sets'
import type { CliCommand, CliContext } from './cli-context'
import { age } from './format'
import { table } from './output'
import { setPreviewLines } from './preview-text'

/** `promote --from <env> --to <env>`: the set's preview, then (unless --dry-run) the set run, followed to its end. */
export async function promoteSet(ctx: CliContext, from: string, to: string): Promise<number> {
  const { cockpit, out, options } = ctx
  const services =
    typeof options.services === 'string'
      ? options.services
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : undefined
  const override = options['override-lock']
  const request: SetRequest = {
    from,
    to,
    ...(services ? { services } : {}),
    ...(typeof override === 'string' ? { overrideLock: { reason: override } } : {}),
  }
  await ctx.openWorkspace()
  const preview = await cockpit.invoke('sets.preview', request)
  const refused = preview.steps.filter((s) => s.verdict === 'refused')
  const ships = preview.steps.filter((s) => s.verdict === 'ships')
  if (options['dry-run'] === true || ships.length === 0) {
    out.result(preview, () =>
      [
        ...setPreviewLines(preview, options.all === true),
        ships.length === 0
          ? 'Nothing to promote: every service is already there or refused.'
          : refused.length > 0
            ? `Dry run: nothing was sent. ${refused.length} refused service(s) would be skipped.`
            : 'Dry run: nothing was sent. It would go ahead.',
      ].join('\n'),
    )
    return refused.length > 0 ? 1 : 0
  }
  if (!out.json) for (const line of setPreviewLines(preview, options.all === true)) out.line(line)
  // The SHAs shown are the SHAs deployed, even if the source environment moves meanwhile.
  const shas = Object.fromEntries(preview.steps.flatMap((s) => (s.sha ? [[s.service, s.sha]] : [])))
  const set = await followSet(ctx, () =>
    cockpit.invoke('sets.start', { ...request, services: preview.steps.map((s) => s.service), shas }),
  )
  return reportSet(ctx, set)
}

/** Prints how a set ended and returns the exit code: 0 only when every step deployed or was already there. */
function reportSet({ out }: CliContext, set: ReleaseSet): number {
  out.result(set, () => `${set.label}: ${set.state}. ${set.summary ?? ''}`.trim())
  if (set.state === 'held') out.warn(set.summary ?? `Set ${set.id} holds: settle its unknown run, then resume it.`)
  return set.state === 'succeeded' ? 0 : 1
}

/**
 * Starts (or resumes) a set with `begin` and follows it until it ends or holds: a line per step change, and with
 * --wait each deploy's log as well. This process drives the set, so it stays until the end.
 */
export function followSet(ctx: CliContext, begin: () => Promise<ReleaseSet>): Promise<ReleaseSet> {
  const { cockpit, out, options } = ctx
  const said = new Map<string, string>()
  const runs = new Set<string>()
  let setId: string | undefined
  const say = (set: ReleaseSet): void => {
    for (const step of set.steps) {
      const key = `${step.service}\u0000${step.environment}`
      const words = `${step.service} → ${step.environment}: ${step.state}${step.runId ? ` (run ${step.runId})` : ''}${step.reason && step.state !== 'running' ? `: ${step.reason}` : ''}`
      if (step.runId) runs.add(step.runId)
      if (said.get(key) === words) continue
      said.set(key, words)
      if (!out.json && step.state !== 'waiting') out.line(words)
    }
  }
  return new Promise((resolve, reject) => {
    let ended = false
    const done = (set: ReleaseSet): void => {
      if (ended) return
      ended = true
      stop()
      resolve(set)
    }
    const stop = cockpit.events.listen((event, payload) => {
      if (event === 'sets.changed' && payload.id === setId) {
        say(payload)
        if (setStopped(payload.state)) done(payload)
      }
      if (event === 'deploys.logged' && options.wait === true && !out.json && runs.has(payload.runId))
        for (const line of payload.lines) out.line(`  ${line}`)
    })
    begin()
      .then(async (set) => {
        setId = set.id
        const now = await cockpit.invoke('sets.get', { setId: set.id })
        say(now)
        if (setStopped(now.state)) done(now)
      })
      .catch((error: unknown) => {
        stop()
        reject(error instanceof Error ? error : new Error(String(error)))
      })
  })
}

/** `trainyard sets` */
export const setsCommand: CliCommand = {
  name: 'sets',
  usage: 'sets [--json]',
  summary: 'Set promotions, newest first: where each stands, and which were interrupted',
  help: [
    'Every set promotion (`promote --from … --to …`, a train promotion) from the set journal: id, what it promotes,',
    'state (running, held, succeeded, partly, failed, aborted), and whether its process died (interrupted).',
    'An interrupted or held set goes on with `trainyard sets resume <id>`.',
  ].join('\n'),
  async run({ cockpit, out, openWorkspace }) {
    await openWorkspace()
    const sets = await cockpit.invoke('sets.list', {})
    out.result(sets, () =>
      sets.length === 0
        ? 'No set promotions yet.'
        : table(
            sets.map((s) => [
              s.id,
              s.label,
              s.interrupted ? 'interrupted' : s.state,
              s.steps.map((step) => `${step.service}:${step.state}`).join(' '),
              age(s.endedAt ?? s.requestedAt),
            ]),
          ),
    )
    return 0
  },
}

/** `trainyard sets resume <set>` */
export const setsResumeCommand: CliCommand = {
  name: 'sets resume',
  usage: 'sets resume <set> [--wait]',
  summary: 'Go on with a set whose process died, or one held until its unknown run was settled',
  help: [
    'Takes up the set in this process and follows it to its end. A step whose run was already started (even by',
    'the process that died) is followed, never triggered again. --wait also prints each deploy’s log.',
  ].join('\n'),
  options: { wait: { type: 'boolean' } },
  async run(ctx) {
    const setId = ctx.args[0]
    if (!setId)
      throw new AppError('invalid-input', 'Say which set: trainyard sets resume <set> (ids: `trainyard sets`)')
    await ctx.openWorkspace()
    const set = await followSet(ctx, () => ctx.cockpit.invoke('sets.resume', { setId }))
    return reportSet(ctx, set)
  },
}

/** `trainyard sets abort <set>` */
export const setsAbortCommand: CliCommand = {
  name: 'sets abort',
  usage: 'sets abort <set>',
  summary: 'Start nothing more of a set (deploys already running go on)',
  async run({ cockpit, out, args, openWorkspace }) {
    const setId = args[0]
    if (!setId) throw new AppError('invalid-input', 'Say which set: trainyard sets abort <set> (ids: `trainyard sets`)')
    await openWorkspace()
    const set = await cockpit.invoke('sets.abort', { setId })
    out.result(set, () => `${set.id}: ${set.state}${set.summary ? `. ${set.summary}` : ''}`)
    return 0
  },
}
