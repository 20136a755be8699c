import { AppError } from '../../../shared/errors'
import type { RegionTrains, TrainBoard, TrainDryRun } from '../../../shared/models/trains'
import { trainContext, type TrainContext } from './context'
import { trainDryRun, trainMove } from './dry-run'
import { hotfixBranchName } from './hotfix-branch'
import { trackHotfixes } from './hotfix'
import { refOf } from './model'
import { nextTrain, upcomingTrain, type NextTrain, type Upcoming } from './outlook'
import type { TrainInputs } from './ports'
import { qaEnvironments, trainStatus } from './state'

/** The trains board: every recent train's phase, each region's current and next train with a dry run, hotfix reminders. */
export function trainBoard(input: TrainInputs): TrainBoard {
  const ctx = trainContext(input)
  const services = input.services.map((s) => s.name)
  const outlook = new Map<string, { next: NextTrain; upcoming: Upcoming | undefined }>()
  ctx.regions.forEach((runs, i) => {
    const next = nextTrain(ctx, runs, i)
    outlook.set(runs.region.name, { next, upcoming: upcomingTrain(ctx, runs, next) })
  })
  const regions = ctx.regions.map((runs): RegionTrains => {
    const { next, upcoming } = outlook.get(runs.region.name) ?? { next: { why: 'no-train' }, upcoming: undefined }
    const view: RegionTrains = {
      region: runs.region.name,
      label: runs.region.label,
      lag: runs.lag,
      hotfixBranch: hotfixBranchName(input.settings, runs.region.name),
      cells: runs.cells,
      dryRun: trainDryRun(ctx, runs, 'train' in next ? next.train : undefined),
    }
    if (runs.current !== undefined) view.current = refOf(runs.current)
    if ('train' in next) view.next = refOf(next.train)
    else {
      view.nextWhy = next.why
      if (next.why === 'up-to-date' && runs.current !== undefined) {
        view.dryRun.summary = `${runs.region.label} is up to date with ${runs.current.name}.`
      } else if (next.why === 'not-seasoned') {
        view.dryRun.summary = `${runs.region.label} has no seasoned train to take yet.`
      }
    }
    if (upcoming !== undefined) view.upcoming = { train: refOf(upcoming.train), planned: upcoming.planned }
    const seasoning = runs.current === undefined || runs.lag > 0 ? undefined : ctx.seasonings.get(runs.current.id)
    if (seasoning !== undefined) view.seasoning = seasoning
    return view
  })
  const trains = ctx.trains.map((t) =>
    trainStatus(
      t,
      input.now,
      ctx.regions,
      ctx.seasonings.get(t.id),
      qaEnvironments(t, input.regions, services, ctx.probes, ctx.placer),
    ),
  )
  const { hotfixes, warnings } = trackHotfixes(ctx, (region) => outlook.get(region)?.upcoming)
  return {
    asOf: input.now.toISOString(),
    timeZone: ctx.schedule.timeZone,
    nextCut: nextScheduledCut(ctx).toISOString(),
    trains,
    regions,
    hotfixes,
    warnings,
  }
}

/** The next scheduled cut that has not been made by hand already. */
function nextScheduledCut(ctx: TrainContext): Date {
  let cut = ctx.schedule.nextCut(ctx.input.now)
  while (ctx.trains.some((t) => t.manualCut !== undefined && Date.parse(t.cutAt) === cut.getTime()))
    cut = ctx.schedule.nextCut(cut)
  return cut
}

/** The plan of "promote this train to <region>": the dry run of any recent cut train (by id) for that region. */
export function promotePlan(input: TrainInputs, region: string, trainId: string): TrainDryRun {
  return promotionDraft(input, region, trainId).dryRun
}

/**
 * The dry run of promoting a cut train (by id) to a region, and whether an environment of the region's path would
 * leave a hotfix branch to take the train (so a step planned there, before production, is a rollback with a reason).
 */
export function promotionDraft(
  input: TrainInputs,
  region: string,
  trainId: string,
): { dryRun: TrainDryRun; leavesHotfix: (service: string, environment: string) => boolean } {
  const ctx = trainContext(input)
  const runs = ctx.regions.find((r) => r.region.name === region)
  if (runs === undefined) throw new AppError('not-found', `No region "${region}" takes trains in this workspace.`)
  const train = ctx.cut.find((t) => t.id === trainId)
  if (train === undefined)
    throw new AppError('not-found', `No recent cut train "${trainId}"; pick one from the trains board.`)
  const leavesHotfix = (service: string, environment: string): boolean => {
    const current = ctx.probes.get(service, environment)?.sha
    const target = train.shas[service]
    return current !== undefined && target !== undefined && trainMove(ctx, service, current, target) === 'leaves-hotfix'
  }
  return { dryRun: trainDryRun(ctx, runs, train), leavesHotfix }
}
