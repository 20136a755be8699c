import { isStopped, type DeployRun } from '../../shared/models/deploys'
import type { CliContext } from './cli-context'

/** How often `promote --wait` says where a run stands when nothing else was printed meanwhile. */
const QUIET_MS = 15_000

/** A status line for people: "billing → staging: queued (Waiting for next available executor)". */
export function statusLine(run: DeployRun): string {
  return `${run.service} → ${run.environment}: ${run.state}${run.detail ? ` (${run.detail})` : ''}`
}

/**
 * Follows a run until it stops (final, or unknown), printing its log lines and where it stands: each new state at
 * once (a queued Jenkins item says it is queued and why), a changed reason when the last one was said a while
 * ago, and "still …" when nothing was printed for a while. Without `print` it only waits.
 */
export function followRun(
  cockpit: CliContext['cockpit'],
  run: DeployRun,
  print?: (line: string) => void,
  quietMs = QUIET_MS,
): Promise<DeployRun> {
  return new Promise((resolve) => {
    let printed = 0
    let said: DeployRun = run
    let lastWords = Date.now()
    const say = (line: string): void => {
      print?.(line)
      lastWords = Date.now()
    }
    if (!isStopped(run.state)) say(statusLine(run))
    const timer = setInterval(
      () => {
        if (Date.now() - lastWords < quietMs) return
        const seconds = Math.round((Date.now() - Date.parse(said.requestedAt)) / 1000)
        say(`${statusLine(said)}: still ${said.state} after ${seconds} s`)
      },
      Math.min(quietMs, 1000),
    )
    const done = (final: DeployRun): void => {
      clearInterval(timer)
      stop()
      resolve(final)
    }
    const stop = cockpit.events.listen((event, payload) => {
      if (event === 'deploys.logged') {
        const chunk = payload
        if (chunk.runId !== run.id) return
        chunk.lines.forEach((line, i) => {
          if (chunk.from + i >= printed) say(line)
        })
        printed = Math.max(printed, chunk.from + chunk.lines.length)
      }
      if (event === 'deploys.changed') {
        const changed = payload.run
        if (changed.id !== run.id) return
        const news =
          changed.state !== said.state ||
          (changed.detail !== said.detail && (said.detail === undefined || Date.now() - lastWords >= quietMs))
        if (news && !isStopped(changed.state)) {
          said = changed
          say(statusLine(changed))
        } else said = { ...said, detail: changed.detail ?? said.detail, state: changed.state }
        if (isStopped(changed.state)) done(changed)
      }
    })
    if (isStopped(run.state)) done(run)
  })
}
