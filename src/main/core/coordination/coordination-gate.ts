import type { AppErrorData } from '../../../shared/errors'
import type { LockOverride, SharedRunView } from '../../../shared/models/coordination'
import type { Workspace } from '../../../shared/models/workspace'
import type { AncestryPort } from '../deploy/guard'
import type { GateQuestion, GateVerdict, PromotionGate } from '../deploy/promotion-gate'
import type { Coordination } from './coordination'
import { whoText } from './identity'
import { lockText, locksOn } from './locks'
import { checkSignoffs } from './signoffs'

/** How old the team's records may be when a promote is judged: older ones are fetched again first. */
const FRESH_MS = 10_000

/** The promotion gate over the team's coordination records (see `PromotionGate`). */
export function coordinationGate(
  coordination: Coordination,
  workspace: Workspace,
  history: Pick<AncestryPort, 'isAncestor'>,
  clock: () => Date,
): PromotionGate {
  return {
    async assess(question: GateQuestion): Promise<GateVerdict> {
      const { request, sha } = question
      const records = await coordination.current(FRESH_MS)
      const now = clock()
      const blockers: AppErrorData[] = []
      const locks = locksOn(workspace, records.locks, request.service, request.environment, now)
      const override = request.overrideLock?.reason.trim()
      let lockOverride: LockOverride | undefined
      if (locks.length > 0 && override) {
        lockOverride = { reason: override, by: coordination.me, at: now.toISOString(), locks: locks.map((l) => l.id) }
      } else if (locks.length > 0) {
        blockers.push({
          code: 'locked',
          message: `${locks.map(lockText).join('; ')}. Wait for it to be lifted, or override it with a reason (--override-lock "why").`,
          details: { locks: locks.map((l) => l.id) },
        })
      }
      const verdict = await checkSignoffs(history, workspace, records.signoffs, {
        service: request.service,
        environment: request.environment,
        sha,
        ...(question.currentSha === undefined ? {} : { currentSha: question.currentSha }),
        ships: question.ships.map((c) => c.sha),
      })
      if (verdict.missing.length > 0) {
        const where = verdict.missing.join(' and ')
        blockers.push({
          code: 'missing-signoff',
          message:
            `${request.environment} requires a sign-off in ${where} on ${sha.slice(0, 7)} or a commit it ships; there is none. ` +
            `Sign it off once verified: trainyard signoff ${request.service} ${sha.slice(0, 7)} --env ${verdict.missing[0] ?? ''}.`,
          details: { missing: verdict.missing },
        })
      }
      const others = coordination
        .runs(records)
        .filter(
          (run) =>
            run.service === request.service &&
            run.environment === request.environment &&
            !run.mine &&
            !question.isOwnRun(run.runId),
        )
      const live = others.find((run) => !run.stale)
      if (live) blockers.push(conflictWith(live))
      const note = coordination.note()
      return {
        blockers,
        view: {
          mode: workspace.coordination ? 'shared' : 'local',
          locks,
          required: verdict.required,
          missing: verdict.missing,
          signoffs: verdict.signoffs,
          others,
          ...(note === undefined ? {} : { note }),
        },
        ...(lockOverride ? { lockOverride } : {}),
      }
    },
  }
}

function conflictWith(run: SharedRunView): AppErrorData {
  return {
    code: 'deploy-conflict',
    message:
      `${whoText(run.by)} is deploying ${run.service} ${run.sha.slice(0, 7)} to ${run.environment} since ${run.since}` +
      `${run.url ? ` (${run.url})` : ''}; wait for it to finish.`,
    details: { runId: run.runId, by: run.by },
  }
}
