import type { DeployRun } from '../../../shared/models/deploys'
import type { ProbeResult } from '../../../shared/models/environments'
import type { Seasoning, Train, TrainCell, TrainPhase, TrainStatus } from '../../../shared/models/trains'
import type { Region, Sha } from '../../../shared/models/workspace'
import { refOf, type Placement, type TrainPlacer } from './model'
import type { TrainPorts } from './ports'
import type { TrainSchedule } from './schedule'

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

/** The journal's succeeded runs per service and environment, oldest first. */
export class DeployHistory {
  private readonly byKey = new Map<string, DeployRun[]>()

  constructor(journal: readonly DeployRun[]) {
    for (const run of journal) {
      if (run.state !== 'succeeded') continue
      const key = `${run.service}\0${run.environment}`
      const list = this.byKey.get(key)
      if (list === undefined) this.byKey.set(key, [run])
      else list.push(run)
    }
    for (const list of this.byKey.values()) list.sort((a, b) => runTime(a) - runTime(b))
  }

  /** Succeeded runs of a service into an environment, oldest first. */
  runsOf(service: string, environment: string): readonly DeployRun[] {
    return this.byKey.get(`${service}\0${environment}`) ?? []
  }
}

/** A deploy run's instant: when it ended, else when it started or was asked for. */
export function runTime(run: DeployRun): number {
  return Date.parse(run.endedAt ?? run.startedAt ?? run.requestedAt)
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

/**
 * How long the first region has run `train` without a break, from the journal's succeeded production runs.
 * A run counts when its SHA is the train's exactly or with a hotfix on top; a deploy of later default-branch
 * commits ("ahead") breaks the streak. Where the journal is silent the schedule is assumed: a service whose
 * production runs the train now started at the train's deploy slot; one with no run at all in the journal ran
 * it from that slot to the next train's (`nextDeployAt`). Undefined when the train never ran there.
 * The region's streak starts when its last service joined and ends when its first service left.
 */
export function seasoningOf(
  train: Train,
  first: Region,
  services: readonly string[],
  journal: DeployHistory,
  probes: ProbeTable,
  placer: TrainPlacer,
  schedule: TrainSchedule,
  seasoningDays: number,
  now: Date,
  nextDeployAt?: number,
): Seasoning | undefined {
  const counts = (service: string, sha: Sha | undefined): boolean =>
    sha !== undefined && placer.runs(service, sha, train, ['exact', 'hotfix'])
  let since = -Infinity
  let end = Infinity
  let fromSchedule = false
  let any = false
  for (const service of services) {
    if (train.shas[service] === undefined) continue
    for (const environment of first.production) {
      const runs = journal.runsOf(service, environment)
      const probeCounts = counts(service, probes.get(service, environment)?.sha)
      let last = runs.length - 1
      while (last >= 0 && !counts(service, runs[last]?.sha)) last -= 1
      const lastRun = runs[last]
      if (lastRun === undefined) {
        const deployAt = Math.min(Date.parse(train.deployAt), now.getTime())
        if (probeCounts) since = Math.max(since, deployAt)
        else if (runs.length === 0 && nextDeployAt !== undefined && deployAt < now.getTime()) {
          since = Math.max(since, deployAt)
          end = Math.min(end, nextDeployAt, now.getTime())
        } else return undefined
        any = true
        fromSchedule = true
        continue
      }
      let firstIndex = last
      while (firstIndex > 0 && counts(service, runs[firstIndex - 1]?.sha)) firstIndex -= 1
      const startRun = runs[firstIndex] ?? lastRun
      any = true
      since = Math.max(since, runTime(startRun))
      const leaving = runs[last + 1]
      if (leaving !== undefined) end = Math.min(end, runTime(leaving))
      else if (!probeCounts) end = Math.min(end, now.getTime())
    }
  }
  if (!any || since > end) return undefined
  const until = schedule.addDays(new Date(since), seasoningDays).getTime()
  const ongoing = end === Infinity
  const seasoning: Seasoning = {
    since: new Date(since).toISOString(),
    sinceFrom: fromSchedule ? 'schedule' : 'journal',
    until: new Date(until).toISOString(),
    leftMs: ongoing ? Math.max(0, until - now.getTime()) : 0,
    done: until <= (ongoing ? now.getTime() : end),
  }
  if (!ongoing) seasoning.endedAt = new Date(end).toISOString()
  return seasoning
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
  if (Date.parse(train.cutAt) > now.getTime()) return status('planned')
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
