import { AppError } from '../../shared/errors'
import { isStopped, type DeployRun } from '../../shared/models/deploys'
import type { CliCommand, CliContext } from './cli-context'
import { followRun, statusLine } from './follow-run'
import { age, short } from './format'
import { promotePreviewLines } from './preview-text'
import { promoteSet } from './set-commands'
import { table } from './output'

/** `trainyard promote <service> <sha> --to <env>`, or `promote --from <env> --to <env>` for a set */
export const promoteCommand: CliCommand = {
  name: 'promote',
  usage:
    'promote <service> <sha> --to <env> [--dry-run] [--wait] [--rollback --reason "…" [--lock]] [--override-lock "why"] [--first-deploy] | promote --from <env> --to <env> [--services a,b] [--dry-run]',
  summary: 'Deploy a SHA to an environment, or everything one environment runs to another, guarded',
  help: [
    'Shows the preview first: the SHA the environment runs, the commits the deploy adds (+) or a rollback',
    'removes (-), who deployed last, and every reason it is refused. A promote that would take the environment',
    'backwards is refused unless it is a rollback with a reason. Without --wait it starts the run and returns;',
    'follow it with `trainyard deploys`.',
    '',
    'With --from instead of <service> <sha>, it promotes a set: every service (or --services) gets the SHA the',
    '--from environment runs, in dependency order (`dependsOn`), each step guarded like a single promote. A service',
    'already there is skipped; a refused one (and what depends on it) is skipped and said. The set is journaled and',
    'followed to its end here; it stops at the first failed deploy. `trainyard sets` lists sets;',
    '`trainyard sets resume <id>` goes on with one whose process died, without triggering any deploy twice.',
    'Options:',
    '  --to <env>          the environment to deploy to (required)',
    '  --from <env>        promote what this environment runs (a set)',
    '  --services a,b      only these services (with --from)',
    '  --dry-run           print the preview and send nothing; exit 0 when it would go ahead, 1 when refused',
    '  --all               print every commit (lists longer than 20 otherwise end with "… and N more")',
    '  --wait              stream the deploy log and exit 0 only when the run (every step) succeeded',
    '  --rollback --reason "…"  deploy an older SHA on purpose; the reason is recorded',
    '  --lock              with --rollback: lock the service there afterwards, so the next train does not redeploy it',
    '  --override-lock "why"    go ahead over the team\'s locks on the target; why is recorded in the journal and the team log',
    '  --first-deploy      when Trainyard cannot tell what the environment runs: say this is a first deploy',
    '  --yes, -y           accepted for scripts; promote never asks',
    'Examples:',
    '  trainyard promote billing 3f9a2c1 --to staging --wait',
    '  trainyard promote billing 3f9a2c1 --to production-uk --dry-run',
    `  trainyard promote billing '#187' --to qa`,
    '  trainyard promote --from staging --to production-uk --dry-run',
    '  trainyard promote billing v1.3.2 --to production-uk --rollback --reason "checkout errors since 10:02"',
  ].join('\n'),
  options: {
    to: { type: 'string' },
    from: { type: 'string' },
    services: { type: 'string' },
    'dry-run': { type: 'boolean' },
    all: { type: 'boolean' },
    wait: { type: 'boolean' },
    rollback: { type: 'boolean' },
    reason: { type: 'string' },
    'first-deploy': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    'override-lock': { type: 'string' },
    lock: { type: 'boolean' },
  },
  async run(ctx) {
    const { cockpit, out, args, options, openWorkspace } = ctx
    const [service, target] = args
    const environment = typeof options.to === 'string' ? options.to : undefined
    if (typeof options.from === 'string' && environment && args.length === 0)
      return promoteSet(ctx, options.from, environment)
    if (!service || !target || !environment)
      throw new AppError(
        'invalid-input',
        'Usage: trainyard promote <service> <sha> --to <environment>, or promote --from <environment> --to <environment>',
      )
    if (options.rollback && typeof options.reason !== 'string')
      throw new AppError('invalid-input', 'A rollback needs a reason: --rollback --reason "why"')
    await openWorkspace()
    const request = {
      service,
      environment,
      target,
      ...(options.rollback ? { rollback: { reason: String(options.reason) } } : {}),
      ...(typeof options['override-lock'] === 'string' ? { overrideLock: { reason: options['override-lock'] } } : {}),
      ...(options['first-deploy'] === true ? { firstDeploy: true } : {}),
    }
    const preview = await cockpit.invoke('deploys.preview', request)
    if (options['dry-run'] === true) {
      out.result(preview, () =>
        [
          ...promotePreviewLines(preview, options.all === true),
          preview.blockers.length > 0
            ? 'Dry run: refused; nothing was sent.'
            : 'Dry run: it would go ahead; nothing was sent.',
        ].join('\n'),
      )
      return preview.blockers.length > 0 ? 1 : 0
    }
    if (!out.json) for (const line of promotePreviewLines(preview, options.all === true)) out.line(line)
    const blocker = preview.blockers[0]
    if (blocker) throw new AppError(blocker.code, blocker.message, blocker.details)
    let run = await cockpit.invoke('deploys.start', request)
    if (options.rollback && options.lock) {
      // Roll back and lock: the next train must not redeploy what was rolled back.
      const lock = await cockpit.invoke('coordination.lock', {
        scope: { kind: 'service', service, environment },
        reason: `Rolled back: ${String(options.reason)}`,
      })
      if (!out.json)
        out.line(`Locked ${service} in ${environment} (${lock.id}); lift it with \`trainyard unlock ${lock.id}\`.`)
    }
    if (!options.wait) {
      out.result(run, () =>
        isStopped(run.state)
          ? `${run.id}: ${statusLine(run)}`
          : `Started ${run.id} (${run.state})${run.url ? ` ${run.url}` : ''}. Follow it with \`trainyard deploys\`.`,
      )
      return explainUnsuccessful(run, out) ? 1 : 0
    }
    run = await followRun(cockpit, run, out.json ? undefined : (line) => out.line(line))
    out.result(run, () => statusLine(run))
    explainUnsuccessful(run, out)
    return run.state === 'succeeded' ? 0 : 1
  },
}

/** Says on stderr why a run did not go (a refused trigger) or what to do next (unknown); true when it did not succeed or start. */
function explainUnsuccessful(run: DeployRun, out: CliContext['out']): boolean {
  const where = `${run.service} → ${run.environment}`
  if (run.state === 'failed') {
    out.warn(
      `${where}: ${run.error ? `the trigger was refused: ${run.error.message}` : `the deploy failed${run.detail ? ` (${run.detail})` : ''}`}`,
    )
    return true
  }
  if (run.state === 'unknown') {
    out.warn(
      `${where}: ${run.detail ?? 'Trainyard cannot tell whether the deploy started'}. Look in ${run.provider}${run.url ? ` (${run.url})` : ''}, then settle it: trainyard settle ${run.id} --state succeeded|failed --note "what you saw"`,
    )
    return true
  }
  return run.state === 'aborted'
}

/** `trainyard settle <run>` */
export const settleCommand: CliCommand = {
  name: 'settle',
  usage: 'settle <run> --state succeeded|failed --note "…"',
  summary: 'Settle a run Trainyard could not confirm (unknown), after checking the provider',
  options: { state: { type: 'string' }, note: { type: 'string' } },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const runId = args[0]
    const state = options.state
    const note = typeof options.note === 'string' ? options.note : ''
    if (!runId || (state !== 'succeeded' && state !== 'failed') || note.trim() === '')
      throw new AppError(
        'invalid-input',
        'Usage: trainyard settle <run> --state succeeded|failed --note "what you saw in the provider"',
      )
    await openWorkspace()
    const run = await cockpit.invoke('deploys.resolve', { runId, state, note })
    out.result(run, () => `${run.id}: ${run.state} (${run.detail ?? ''})`)
    return 0
  },
}

/** `trainyard deploys` */
export const deploysCommand: CliCommand = {
  name: 'deploys',
  usage: 'deploys [--service S] [--env E] [--limit N]',
  summary: 'Deploy history, newest first',
  help: [
    `Every run Trainyard started, newest first, from the workspace's deploy journal: id, service,`,
    'environment, SHA, state (requested, triggering, running, succeeded, failed, aborted, unknown), who and when.',
    'Options:',
    '  --service S   only service S',
    '  --env E       only environment E',
    '  --limit N     at most N runs (default 30)',
  ].join('\n'),
  options: { service: { type: 'string' }, env: { type: 'string' }, limit: { type: 'string' } },
  async run({ cockpit, out, options, openWorkspace }) {
    await openWorkspace()
    const runs = await cockpit.invoke('deploys.list', {
      ...(typeof options.service === 'string' ? { service: options.service } : {}),
      ...(typeof options.env === 'string' ? { environment: options.env } : {}),
      limit: typeof options.limit === 'string' ? Number(options.limit) : 30,
    })
    out.result(runs, () =>
      runs.length === 0
        ? 'No deploys yet.'
        : table(
            runs.map((r) => [
              r.id,
              r.service,
              r.environment,
              short(r.sha),
              r.state,
              r.requestedBy,
              age(r.endedAt ?? r.requestedAt),
            ]),
          ),
    )
    return 0
  },
}

/** `trainyard abort <run>` */
export const abortCommand: CliCommand = {
  name: 'abort',
  usage: 'abort <run>',
  summary: 'Abort a running deploy',
  help: [
    'Asks the provider (Rundeck or Jenkins) to abort a running deploy. <run> is an id from `trainyard deploys`.',
  ].join('\n'),
  async run({ cockpit, out, args, openWorkspace }) {
    const runId = args[0]
    if (!runId)
      throw new AppError('invalid-input', 'Say which run: trainyard abort <run> (ids are in `trainyard deploys`)')
    await openWorkspace()
    const run = await cockpit.invoke('deploys.abort', { runId })
    out.result(run, () => `${run.id}: ${run.state}`)
    return 0
  },
}
