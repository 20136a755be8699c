import { AppError } from '../../shared/errors'
import { isStopped, type DeployRun } from '../../shared/models/deploys'
import type { CliCommand } from './cli-context'
import { age, short } from './format'
import { table } from './output'

/** `trainyard promote <service> <sha> --to <env>` */
export const promoteCommand: CliCommand = {
  name: 'promote',
  usage: 'promote <service> <sha> --to <env> [--wait] [--rollback --reason "…"]',
  summary: 'Deploy a SHA (or branch, tag, #PR) to an environment, guarded against going backwards',
  options: {
    to: { type: 'string' },
    wait: { type: 'boolean' },
    rollback: { type: 'boolean' },
    reason: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
  },
  async run({ cockpit, out, args, options, openWorkspace }) {
    const [service, target] = args
    const environment = typeof options.to === 'string' ? options.to : undefined
    if (!service || !target || !environment)
      throw new AppError('invalid-input', 'Usage: trainyard promote <service> <sha> --to <environment>')
    if (options.rollback && typeof options.reason !== 'string')
      throw new AppError('invalid-input', 'A rollback needs a reason: --rollback --reason "why"')
    await openWorkspace()
    const request = {
      service,
      environment,
      target,
      ...(options.rollback ? { rollback: { reason: String(options.reason) } } : {}),
    }
    const preview = await cockpit.invoke('deploys.preview', request)
    if (!out.json) {
      out.line(`${service} → ${environment}: ${short(preview.currentSha)} → ${short(preview.sha)} (${preview.kind})`)
      for (const c of preview.commits.slice(0, 20))
        out.line(`  + ${short(c.sha)} ${c.author.name}: ${c.pr ? `#${c.pr} ` : ''}${c.subject}`)
      for (const c of preview.removes.slice(0, 20)) out.line(`  - ${short(c.sha)} ${c.author.name}: ${c.subject}`)
      if (preview.lastDeploy) out.line(`  last deployed by ${preview.lastDeploy.by}, ${age(preview.lastDeploy.at)}`)
    }
    const blocker = preview.blockers[0]
    if (blocker) throw new AppError(blocker.code, blocker.message, blocker.details)
    let run = await cockpit.invoke('deploys.start', request)
    if (!options.wait) {
      out.result(
        run,
        () => `Started ${run.id} (${run.state})${run.url ? ` ${run.url}` : ''}. Follow it with \`trainyard deploys\`.`,
      )
      return run.state === 'failed' || run.state === 'unknown' ? 1 : 0
    }
    run = await follow(cockpit, run, out.json ? undefined : (line) => out.line(line))
    out.result(run, () => `${run.service} → ${run.environment}: ${run.state}${run.detail ? ` (${run.detail})` : ''}`)
    return run.state === 'succeeded' ? 0 : 1
  },
}

async function follow(
  cockpit: Parameters<CliCommand['run']>[0]['cockpit'],
  run: DeployRun,
  print?: (line: string) => void,
): Promise<DeployRun> {
  return new Promise((resolve) => {
    let printed = 0
    const stop = cockpit.events.listen((event, payload) => {
      if (event === 'deploys.logged') {
        const chunk = payload as { runId: string; from: number; lines: string[] }
        if (chunk.runId !== run.id || !print) return
        chunk.lines.forEach((line, i) => {
          if (chunk.from + i >= printed) print(line)
        })
        printed = Math.max(printed, chunk.from + chunk.lines.length)
      }
      if (event === 'deploys.changed') {
        const changed = (payload as { run: DeployRun }).run
        if (changed.id === run.id && isStopped(changed.state)) {
          stop()
          resolve(changed)
        }
      }
    })
    if (isStopped(run.state)) {
      stop()
      resolve(run)
    }
  })
}

/** `trainyard deploys` */
export const deploysCommand: CliCommand = {
  name: 'deploys',
  usage: 'deploys [--service S] [--env E] [--limit N]',
  summary: 'Deploy history, newest first',
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
