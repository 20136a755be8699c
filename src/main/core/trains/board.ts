import { AppError } from '../../../shared/errors'
import type { RegionTrains, Train, TrainBoard, TrainDryRun } from '../../../shared/models/trains'
import { trainContext, type TrainContext } from './context'
import { trainDryRun } from './dry-run'
import { trackHotfixes } from './hotfix'
import { refOf } from './model'
import type { TrainInputs } from './ports'
import { qaEnvironments, trainStatus, type RegionRuns } from './state'

/** The train a region should take next, or why there is none. */
export type NextTrain = { train: Train } | { why: NonNullable<RegionTrains['nextWhy']>; candidate?: Train }

/**
 * The first region takes the newest cut. A region with lag L takes the newest train cut at least L weeks
 * before the newest cut that has finished seasoning in the first region (so a train passed over in the
 * first region is skipped). Either way, nothing when the region already runs that train or a later one.
 */
export function nextTrain(ctx: TrainContext, runs: RegionRuns, index: number): NextTrain {
  const newest = ctx.cut[ctx.cut.length - 1]
  if (newest === undefined) return { why: 'no-train' }
  const candidate =
    index === 0
      ? newest
      : [...ctx.cut].reverse().find((t) => t.week <= newest.week - runs.lag && ctx.seasonings.get(t.id)?.done === true)
  if (candidate === undefined) return { why: 'not-seasoned' }
  if (runs.current !== undefined && runs.current.week >= candidate.week) return { why: 'up-to-date', candidate }
  return { train: candidate }
}

/** The trains board: every recent train's phase, each region's current and next train with a dry run, hotfix reminders. */
export function trainBoard(input: TrainInputs): TrainBoard {
  const ctx = trainContext(input)
  const services = input.services.map((s) => s.name)
  const nexts = new Map(ctx.regions.map((r, i) => [r.region.name, nextTrain(ctx, r, i)]))
  const regions = ctx.regions.map((runs): RegionTrains => {
    const next = nexts.get(runs.region.name) ?? { why: 'no-train' }
    const view: RegionTrains = {
      region: runs.region.name,
      label: runs.region.label,
      lag: runs.lag,
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
  // A region with nothing queued still needs the fixes in the train it runs.
  const { hotfixes, warnings } = trackHotfixes(ctx, (region) => {
    const next = nexts.get(region)
    const runs = ctx.regions.find((r) => r.region.name === region)
    return next !== undefined && 'train' in next ? next.train : runs?.current
  })
  return {
    asOf: input.now.toISOString(),
    timeZone: ctx.schedule.timeZone,
    nextCut: ctx.schedule.nextCut(input.now).toISOString(),
    trains,
    regions,
    hotfixes,
    warnings,
  }
}

/** The plan of "promote this train to <region>": the dry run of any recent train (by id) for that region. */
export function promotePlan(input: TrainInputs, region: string, trainId: string): TrainDryRun {
  const ctx = trainContext(input)
  const runs = ctx.regions.find((r) => r.region.name === region)
  if (runs === undefined) throw new AppError('not-found', `No region "${region}" takes trains in this workspace.`)
  const train = ctx.cut.find((t) => t.id === trainId)
  if (train === undefined)
    throw new AppError('not-found', `No recent cut train "${trainId}"; pick one from the trains board.`)
  return trainDryRun(ctx, runs, train)
}
