import type { TrainDryRun, TrainPromotion, TrainRef } from '../../../shared/models/trains'
import { isStopped, type DeployRun } from '../../../shared/models/deploys'
import { AppError } from '../../../shared/errors'
import type { DeployRunner } from '../deploy/runner'

/** What a train promotion reports as it goes: one line per step. */
export type PromoteProgress = (step: string) => void

/**
 * Runs a train's dry-run steps one after another through the deploy runner, waiting for each run's end.
 * A step that leaves a hotfix branch asks the guard for a rollback with the reason that the train carries its
 * fixes (recorded in the journal). The first refused or unsuccessful step stops the rest.
 */
export async function runTrainPromotion(
  runner: Pick<DeployRunner, 'start' | 'waitForEnd'>,
  plan: TrainDryRun,
  train: TrainRef,
  opts: { user: string; hotfixBranch: (service: string) => string; progress: PromoteProgress },
): Promise<TrainPromotion> {
  const runs: DeployRun[] = []
  const result: TrainPromotion = { region: plan.region, train, runs, skipped: plan.skips }
  if (plan.steps.length === 0) {
    throw new AppError('invalid-input', `${plan.summary}: nothing to promote.`)
  }
  for (const step of plan.steps) {
    const where = `${step.service} → ${step.environment}`
    const request = {
      service: step.service,
      environment: step.environment,
      target: step.sha,
      requestedBy: opts.user,
      ...(step.leavesHotfix === true
        ? { rollback: { reason: `Train ${train.name} carries the fixes of ${opts.hotfixBranch(step.service)}` } }
        : {}),
    }
    let run: DeployRun
    try {
      opts.progress(`${where}: starting ${step.sha.slice(0, 7)}`)
      run = await runner.start(request)
      opts.progress(`${where}: ${run.state}`)
      if (!isStopped(run.state)) run = await runner.waitForEnd(run.id)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      opts.progress(`${where}: refused — ${reason}`)
      result.stopped = { service: step.service, environment: step.environment, reason }
      return result
    }
    runs.push(run)
    opts.progress(`${where}: ${run.state}`)
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
