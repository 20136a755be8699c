import { AppError } from '../../../../shared/errors'
import { isStopped, type DeployRun } from '../../../../shared/models/deploys'
import type { TrainPromotion, TrainPromotionPlan } from '../../../../shared/models/trains'
import type { DeployRunner } from '../../deploy/runner'

/** What a train promotion reports as it goes: one line per step, with the run it started once there is one. */
export type PromoteProgress = (step: string, runId?: string) => void

/**
 * Runs a promotion plan's steps one after another through the deploy runner, waiting for each run's end. Nothing
 * starts while the plan has a refusal (`deploy-conflict`, naming every one). A step that leaves a hotfix branch
 * asks the guard for a rollback with its reason (recorded in the journal). The first refused or unsuccessful
 * step stops the rest.
 */
export async function runTrainPromotion(
  runner: Pick<DeployRunner, 'start' | 'waitForEnd'>,
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
  const runs: DeployRun[] = []
  const result: TrainPromotion = { region: plan.region, train: plan.train, runs, skipped: plan.skips }
  for (const step of plan.steps) {
    const where = `${step.service} → ${step.environment}`
    const request = {
      service: step.service,
      environment: step.environment,
      target: step.sha,
      requestedBy: opts.user,
      ...(opts.overrideLock ? { overrideLock: opts.overrideLock } : {}),
      ...(step.rollbackReason !== undefined ? { rollback: { reason: step.rollbackReason } } : {}),
    }
    let run: DeployRun
    try {
      opts.progress(`${where}: starting ${step.sha.slice(0, 7)}`)
      run = await runner.start(request)
      opts.progress(`${where}: ${run.state}`, run.id)
      if (!isStopped(run.state)) run = await runner.waitForEnd(run.id)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      opts.progress(`${where}: refused — ${reason}`)
      result.stopped = { service: step.service, environment: step.environment, reason }
      return result
    }
    runs.push(run)
    opts.progress(`${where}: ${run.state}`, run.id)
    if (run.state !== 'succeeded') {
      const why = run.error?.message ?? `the deploy ended ${run.state}`
      result.stopped = {
        service: step.service,
        environment: step.environment,
        reason: `Run ${run.id} ${run.state}: ${why}`,
      }
      return result
    }
  }
  return result
}

/** A plan as it runs when a person overrides the locks on its targets: their `locked` refusals dropped (each run records the override). */
export function withoutLocks(plan: TrainPromotionPlan): TrainPromotionPlan {
  const steps = plan.steps.map((step) => ({ ...step, blockers: step.blockers.filter((b) => b.code !== 'locked') }))
  return { ...plan, steps, refusals: plan.refusals.filter((b) => b.code !== 'locked') }
}
