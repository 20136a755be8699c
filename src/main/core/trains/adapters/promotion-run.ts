import { AppError } from '../../../../shared/errors'
import type { SetStep, SetStepPreview } from '../../../../shared/models/release-sets'
import type { TrainPromotion, TrainPromotionPlan } from '../../../../shared/models/trains'
import type { Workspace } from '../../../../shared/models/workspace'
import type { DeployRunner } from '../../deploy/runner'
import { deployWaves } from '../../releases/deploy-order'
import type { SetRunner } from '../../releases/set-runner'

/** What a train promotion reports as it goes: one line per step, with the run it started once there is one. */
export type PromoteProgress = (step: string, runId?: string) => void

/**
 * A promotion plan's steps as a set's: environments in the plan's order (those before production first), and within
 * one environment the services in dependency waves.
 */
export function trainSetSteps(plan: TrainPromotionPlan, workspace: Workspace): SetStepPreview[] {
  const steps: SetStepPreview[] = []
  let base = 0
  for (let i = 0; i < plan.steps.length;) {
    const environment = plan.steps[i]?.environment
    const group = []
    while (i < plan.steps.length && plan.steps[i]?.environment === environment) group.push(plan.steps[i++])
    const waves = deployWaves(
      workspace.services,
      group.flatMap((s) => (s ? [s.service] : [])),
    )
    for (const planned of group) {
      if (!planned) continue
      const wave = base + waves.findIndex((w) => w.includes(planned.service))
      const step: SetStepPreview = {
        service: planned.service,
        environment: planned.environment,
        sha: planned.sha,
        wave,
        verdict: 'ships',
        blockers: [],
      }
      if (planned.rollbackReason !== undefined) step.rollbackReason = planned.rollbackReason
      steps.push(step)
    }
    base += waves.length
  }
  return steps
}

/**
 * Runs a promotion plan as a set (journaled, resumable, in dependency order) and waits for its end. Nothing starts
 * while the plan has a refusal (`deploy-conflict`, naming every one). A step that leaves a hotfix branch asks the
 * guard for a rollback with its reason (recorded in the journal). The first refused or unsuccessful step stops the
 * rest.
 */
export async function runTrainPromotion(
  sets: Pick<SetRunner, 'startSteps' | 'waitForEnd'>,
  runs: Pick<DeployRunner, 'get'>,
  workspace: Workspace,
  plan: TrainPromotionPlan,
  opts: { user: string; progress: PromoteProgress; overrideLock?: { reason: string } },
): Promise<TrainPromotion> {
  if (plan.steps.length === 0) throw new AppError('invalid-input', `${plan.summary}: nothing to promote.`)
  const first = plan.refusals[0]
  if (first !== undefined) {
    const all = plan.refusals.map((r) => r.message).join(' ')
    throw new AppError(first.code, `Promoting ${plan.train.name} is refused before anything starts: ${all}`, {
      refusals: plan.refusals,
    })
  }
  const say = (step: SetStep, starting?: true): void => {
    const where = `${step.service} → ${step.environment}`
    if (starting) return opts.progress(`${where}: starting ${step.sha?.slice(0, 7) ?? ''}`)
    if (step.state === 'not-started' || step.state === 'waiting') return
    const why = step.state === 'refused' ? ` — ${step.reason ?? ''}` : ''
    opts.progress(`${where}: ${step.state}${why}`, step.runId)
  }
  const started = sets.startSteps(
    `train ${plan.train.name} → ${plan.region}`,
    trainSetSteps(plan, workspace),
    {
      to: plan.steps[plan.steps.length - 1]?.environment ?? plan.region,
      requestedBy: opts.user,
      ...(opts.overrideLock ? { overrideLock: opts.overrideLock } : {}),
    },
    say,
  )
  const set = await sets.waitForEnd(started.id)
  const result: TrainPromotion = {
    region: plan.region,
    train: plan.train,
    runs: set.steps.flatMap((s) => (s.runId === undefined ? [] : [runs.get(s.runId).run])),
    skipped: plan.skips,
  }
  const stopped = set.steps.find((s) => ['refused', 'failed', 'aborted', 'unknown'].includes(s.state))
  if (stopped)
    result.stopped = {
      service: stopped.service,
      environment: stopped.environment,
      reason: stopped.reason ?? `the deploy ended ${stopped.state}`,
    }
  return result
}

/** A plan as it runs when a person overrides the locks on its targets: their `locked` refusals dropped (each run records the override). */
export function withoutLocks(plan: TrainPromotionPlan): TrainPromotionPlan {
  const steps = plan.steps.map((step) => ({ ...step, blockers: step.blockers.filter((b) => b.code !== 'locked') }))
  return { ...plan, steps, refusals: plan.refusals.filter((b) => b.code !== 'locked') }
}
