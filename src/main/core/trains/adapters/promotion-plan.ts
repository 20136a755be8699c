import { toErrorData, type AppErrorData } from '../../../../shared/errors'
import type { PromotePreview, PromoteRequest } from '../../../../shared/models/deploys'
import { previousEnvironments } from '../../../../shared/models/region-paths'
import type { PlannedDeploy, TrainDryRun, TrainPromotionPlan } from '../../../../shared/models/trains'
import type { Region, Sha } from '../../../../shared/models/workspace'

/** The deploy runner's preview: the same guard, `requirePreviousSuccess`, active-run and lock checks as a start. */
export interface DeployPreviewer {
  preview(request: PromoteRequest): Promise<PromotePreview>
}

/** A deploy a promotion wants in the end: one service's SHA into one environment of a region. */
export interface WantedDeploy {
  service: string
  environment: string
  sha: Sha
  rollbackReason?: string
}

/** The environments a `requirePreviousSuccess` blocker says must see the SHA succeed first, if it is one. */
function requiredFirst(blocker: AppErrorData): string[] | undefined {
  if (blocker.code !== 'deploy-conflict' || typeof blocker.details !== 'object' || blocker.details === null)
    return undefined
  const requires = (blocker.details as { requires?: unknown }).requires
  return Array.isArray(requires) ? requires.filter((e): e is string => typeof e === 'string') : undefined
}

/**
 * Plans deploys through a region's path, checking each with the runner's preview. When a deploy is refused only
 * because the environment before it in the region's path has not run the SHA successfully, that deploy is planned
 * first (and so on up the path), and the refusal it answers is dropped. Steps run in waves: the environments
 * furthest from production first, each wave in the order of `wanted`, so a failure before production stops the
 * promotion before any production changes. Any other blocker stays on its step. A step planned first is a rollback
 * only with the reason `rollbackBefore` gives for it (an environment leaving a hotfix branch the train carries).
 */
export async function planDeploys(
  wanted: readonly WantedDeploy[],
  region: Region,
  previewer: DeployPreviewer,
  rollbackBefore: (service: string, environment: string) => string | undefined = () => undefined,
): Promise<PlannedDeploy[]> {
  const planned: { step: PlannedDeploy; depth: number; order: number }[] = []
  const check = async (want: WantedDeploy, order: number, depth: number, requiredBy?: string): Promise<void> => {
    const request: PromoteRequest = {
      service: want.service,
      environment: want.environment,
      target: want.sha,
      ...(want.rollbackReason !== undefined ? { rollback: { reason: want.rollbackReason } } : {}),
    }
    let preview: Pick<PromotePreview, 'kind' | 'commits' | 'blockers'>
    try {
      preview = await previewer.preview(request)
    } catch (error) {
      preview = { kind: 'forward', commits: [], blockers: [toErrorData(error)] }
    }
    const before = previousEnvironments({ regions: [region] }, want.environment)[0]
    let blockers = preview.blockers
    if (before !== undefined && blockers.some((b) => requiredFirst(b)?.includes(before) === true)) {
      const reason = rollbackBefore(want.service, before)
      const first = { service: want.service, environment: before, sha: want.sha }
      await check(
        reason === undefined ? first : { ...first, rollbackReason: reason },
        order,
        depth + 1,
        want.environment,
      )
      blockers = blockers.filter((b) => requiredFirst(b)?.includes(before) !== true)
    }
    const step: PlannedDeploy = {
      service: want.service,
      environment: want.environment,
      sha: want.sha,
      kind: preview.kind,
      commits: preview.commits.length,
      blockers,
    }
    if (want.rollbackReason !== undefined) step.rollbackReason = want.rollbackReason
    if (requiredBy !== undefined) step.requiredBy = requiredBy
    planned.push({ step, depth, order })
  }
  for (const [order, want] of wanted.entries()) await check(want, order, 0)
  return planned.sort((a, b) => b.depth - a.depth || a.order - b.order).map((p) => p.step)
}

/**
 * The plan of promoting a train to a region: the dry run's production steps (which services, which SHAs, which
 * leave a hotfix branch), with the steps they require first, all checked by the runner's preview. Separate from
 * running it, so the confirm dialog, the CLI and the run itself use the very same plan.
 */
export async function planTrainPromotion(
  draft: { dryRun: TrainDryRun; leavesHotfix: (service: string, environment: string) => boolean },
  region: Region,
  previewer: DeployPreviewer,
  hotfixBranch: string,
): Promise<TrainPromotionPlan | undefined> {
  const { dryRun } = draft
  const train = dryRun.train
  if (train === undefined) return undefined
  const reason = `Train ${train.name} carries the fixes of ${hotfixBranch}`
  const wanted = dryRun.steps.map((s): WantedDeploy => ({
    service: s.service,
    environment: s.environment,
    sha: s.sha,
    ...(s.leavesHotfix === true ? { rollbackReason: reason } : {}),
  }))
  const before = (service: string, environment: string): string | undefined =>
    draft.leavesHotfix(service, environment) ? reason : undefined
  const steps = await planDeploys(wanted, region, previewer, before)
  return {
    region: dryRun.region,
    train,
    summary: dryRun.summary,
    steps,
    skips: dryRun.skips,
    refusals: steps.flatMap((s) => s.blockers),
  }
}
