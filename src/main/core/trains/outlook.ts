import type { RegionTrains, Train } from '../../../shared/models/trains'
import type { Sha } from '../../../shared/models/workspace'
import type { TrainContext } from './context'
import type { RegionRuns } from './state'

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

/** The train that brings a region new commits next, and the SHAs it has (or, planned, would have if cut now). */
export interface Upcoming {
  train: Train
  /** Not cut yet: `shas` are the default branches now, a forecast of what its cut will hold. */
  planned: boolean
  shas: Record<string, Sha>
}

/**
 * What reaches a region next: its next train when one waits; else the oldest cut train later than what it runs
 * that can still reach it (live or seasoned in the first region, for a region that lags); else the planned
 * train, which will carry whatever the default branches hold at its cut. Hotfix reminders and the board's
 * "next step" both read this, so they never disagree.
 */
export function upcomingTrain(ctx: TrainContext, runs: RegionRuns, next: NextTrain): Upcoming | undefined {
  if ('train' in next) return { train: next.train, planned: false, shas: next.train.shas }
  const base = baseWeek(ctx, runs)
  const first = ctx.regions[0]
  const reachable = (t: Train): boolean =>
    runs === first || ctx.seasonings.get(t.id)?.done === true || (first?.live.some((x) => x.id === t.id) ?? false)
  const later = ctx.cut.find((t) => base !== undefined && t.week > base && reachable(t))
  if (later !== undefined) return { train: later, planned: false, shas: later.shas }
  const planned = ctx.trains.find(
    (t) => !ctx.cut.includes(t) && t.week > (ctx.cut[ctx.cut.length - 1]?.week ?? -Infinity),
  )
  return planned === undefined ? undefined : { train: planned, planned: true, shas: { ...ctx.tips } }
}

/** The week of the train a region runs; with mixed trains, the oldest any of its services runs. */
function baseWeek(ctx: TrainContext, runs: RegionRuns): number | undefined {
  if (runs.current !== undefined) return runs.current.week
  const weeks = runs.cells.flatMap((c) => ctx.trains.find((t) => t.id === c.train?.id)?.week ?? [])
  return weeks.length === 0 ? undefined : Math.min(...weeks)
}
