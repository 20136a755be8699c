import { AppError } from '../../../shared/errors'
import type { Seasoning, Train } from '../../../shared/models/trains'
import type { Sha } from '../../../shared/models/workspace'
import { buildTrains, isCut, TrainPlacer } from './model'
import type { TrainInputs, TrainPorts } from './ports'
import { trainSchedule, type TrainSchedule } from './schedule'
import { DeployHistory, seasoningOf } from './seasoning'
import { ProbeTable, regionRuns, type RegionRuns } from './state'

/** Everything derived once from the inputs that the board, the dry runs and the hotfix tracking share. */
export interface TrainContext {
  input: TrainInputs
  schedule: TrainSchedule
  /** Trains from `weeksBack` before the current one to the next one not cut yet, oldest first. */
  trains: Train[]
  /** Trains already cut, oldest first. */
  cut: Train[]
  /** Each service's default branch tip now. */
  tips: Record<string, Sha>
  placer: TrainPlacer
  probes: ProbeTable
  /** Regions in the order trains reach them, first region first. */
  regions: RegionRuns[]
  /** First-region seasoning of each cut train that ran there. */
  seasonings: Map<string, Seasoning>
}

/** Derives the train context; throws `invalid-workspace` when the train settings name an unknown region. */
export function trainContext(input: TrainInputs): TrainContext {
  const { now, settings, ports, services } = input
  const schedule = trainSchedule(settings)
  const week = schedule.weekAt(now)
  // Up to the next train not cut yet: one week ahead, two when the next one was cut by hand.
  const cutEarly = input.manualCuts.some((c) => Date.parse(c.scheduledCut) === schedule.cutOf(week + 1).getTime())
  const weeks = { from: week - (input.weeksBack ?? 8), to: week + (cutEarly ? 2 : 1) }
  const shaAtTime: TrainPorts['shaAtTime'] = (s, b, at) => ports.shaAtTime(s, b, at)
  const trains = buildTrains(settings, schedule, services, shaAtTime, weeks, now, input.manualCuts)
  const cut = trains.filter((t) => isCut(t, now))
  const tips: Record<string, Sha> = {}
  for (const s of services) {
    const tip = ports.shaAtTime(s.name, s.defaultBranch, now)
    if (tip !== undefined) tips[s.name] = tip
  }
  const placer = new TrainPlacer(trains, ports, tips)
  const probes = new ProbeTable(input.probes)
  const regions = settings.regions.map(({ region, lag }) => {
    const r = input.regions.find((x) => x.name === region)
    if (r === undefined)
      throw new AppError(
        'invalid-workspace',
        `The trains name a region "${region}" that the workspace does not define.`,
      )
    return regionRuns(r, lag, services, trains, probes, placer, (s, ex, inc) => ports.range(s, ex, inc))
  })
  const seasonings = new Map<string, Seasoning>()
  const first = regions[0]
  if (first !== undefined) {
    const names = services.map((s) => s.name)
    const history = new DeployHistory(input.journal)
    cut.forEach((train, i) => {
      const next = trains[trains.indexOf(train) + 1]
      const nextDeployAt = next === undefined || i === cut.length - 1 ? undefined : Date.parse(next.deployAt)
      const s = seasoningOf(
        train,
        first.region,
        names,
        history,
        probes,
        placer,
        schedule,
        settings.seasoningDays,
        now,
        nextDeployAt,
      )
      if (s !== undefined) seasonings.set(train.id, s)
    })
  }
  return { input, schedule, trains, cut, tips, placer, probes, regions, seasonings }
}

/** Services in promote order: the settings' service order first, then the rest in workspace order. */
export function orderedServices(ctx: TrainContext): string[] {
  const names = ctx.input.services.map((s) => s.name)
  const ordered = ctx.input.settings.serviceOrder.filter((n) => names.includes(n))
  return [...ordered, ...names.filter((n) => !ordered.includes(n))]
}
