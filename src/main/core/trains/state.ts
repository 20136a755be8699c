import type { ProbeResult } from '../../../shared/models/environments'
import type { Seasoning, Train, TrainCell, TrainPhase, TrainStatus } from '../../../shared/models/trains'
import type { Region, Sha } from '../../../shared/models/workspace'
import { isCut, refOf, type Placement, type TrainPlacer } from './model'
import type { TrainPorts } from './ports'

/** What one region's production runs, in train terms. */
export interface RegionRuns {
  region: Region
  lag: number
  cells: TrainCell[]
  /** Trains its production runs for every service that has them, oldest first. */
  live: Train[]
  current?: Train
}

/** Current SHAs by service and environment, read from the probes. */
export class ProbeTable {
  private readonly byKey = new Map<string, ProbeResult>()

  constructor(probes: readonly ProbeResult[]) {
    for (const p of probes) this.byKey.set(`${p.service}\0${p.environment}`, p)
  }

  /** The probe of a service in an environment, if any. */
  get(service: string, environment: string): ProbeResult | undefined {
    return this.byKey.get(`${service}\0${environment}`)
  }
}

/** Places what each service runs in a region's production environments and finds the trains live there. */
export function regionRuns(
  region: Region,
  lag: number,
  services: readonly { name: string; environments: Record<string, { skip?: boolean }> }[],
  trains: readonly Train[],
  probes: ProbeTable,
  placer: TrainPlacer,
  range: TrainPorts['range'],
): RegionRuns {
  const cells: TrainCell[] = []
  const placed: { cell: TrainCell; placement?: Placement }[] = []
  for (const s of services) {
    for (const environment of region.production) {
      if (s.environments[environment]?.skip === true) continue
      const sha = probes.get(s.name, environment)?.sha
      const placement = sha === undefined ? undefined : placer.place(s.name, sha)
      const cell = describeCell(s.name, environment, sha, placement, range)
      cells.push(cell)
      placed.push({ cell, placement })
    }
  }
  const live = trains.filter((t) => {
    const relevant = placed.filter(({ cell }) => t.shas[cell.service] !== undefined && cell.sha !== undefined)
    return relevant.length > 0 && relevant.every(({ placement }) => placement?.trains.some((x) => x.id === t.id))
  })
  const current = live[live.length - 1]
  return current === undefined ? { region, lag, cells, live } : { region, lag, cells, live, current }
}

function describeCell(
  service: string,
  environment: string,
  sha: Sha | undefined,
  placement: Placement | undefined,
  range: TrainPorts['range'],
): TrainCell {
  if (sha === undefined) return { service, environment, unknown: 'no-sha' }
  const newest = placement?.trains[placement.trains.length - 1]
  if (placement === undefined || newest === undefined) return { service, environment, sha, unknown: 'no-train' }
  const cell: TrainCell = { service, environment, sha, train: refOf(newest), kind: placement.kind }
  if (placement.kind !== 'exact') cell.extra = range(service, placement.base, sha).length
  return cell
}

/** Non-production environments that run a train's own changes (exactly or with a hotfix) for some service. */
export function qaEnvironments(
  train: Train,
  regions: readonly Region[],
  services: readonly string[],
  probes: ProbeTable,
  placer: TrainPlacer,
): string[] {
  const found = new Set<string>()
  for (const region of regions) {
    for (const environment of region.path) {
      if (region.production.includes(environment) || found.has(environment)) continue
      const runsIt = services.some((service) => {
        const sha = probes.get(service, environment)?.sha
        const p = sha === undefined ? undefined : placer.place(service, sha)
        return p !== undefined && p.kind !== 'ahead' && p.trains[0]?.id === train.id
      })
      if (runsIt) found.add(environment)
    }
  }
  return [...found]
}

/**
 * A train's phase (see TrainPhase). A train live nowhere is retired once every region runs a later train, or
 * once a later train is live in the first region and this one never finished seasoning (it was passed over).
 */
export function trainStatus(
  train: Train,
  now: Date,
  regions: readonly RegionRuns[],
  seasoning: Seasoning | undefined,
  qaIn: string[],
): TrainStatus {
  const liveIn = regions.filter((r) => r.live.some((t) => t.id === train.id)).map((r) => r.region.name)
  const status = (phase: TrainPhase): TrainStatus =>
    seasoning === undefined ? { train, phase, liveIn, qaIn } : { train, phase, liveIn, qaIn, seasoning }
  if (!isCut(train, now)) return status('planned')
  const [first, ...others] = regions
  if (others.some((r) => liveIn.includes(r.region.name))) return status('live')
  if (first !== undefined && liveIn.includes(first.region.name)) {
    return status(seasoning?.done === true ? 'seasoned' : 'seasoning')
  }
  const later = (r: RegionRuns): boolean => r.current !== undefined && r.current.week > train.week
  const passedOver = seasoning?.done !== true && first !== undefined && later(first)
  if (passedOver || (regions.length > 0 && regions.every(later))) return status('retired')
  if (seasoning?.done === true) return status('seasoned')
  return status(qaIn.length > 0 ? 'in-qa' : 'cut')
}
