import type { Train, TrainRef } from '../../../shared/models/trains'
import type { Sha, TrainSettings } from '../../../shared/models/workspace'
import type { ManualCut } from './manual-cuts'
import { cutDate, trainId, trainName } from './names'
import type { TrainPorts } from './ports'
import type { TrainSchedule } from './schedule'

/**
 * Builds the trains of weeks `fromWeek`..`toWeek` (inclusive), oldest first; planned trains have no SHAs yet.
 * A train cut by hand holds the SHAs frozen at its manual cut, before and after its scheduled cut alike.
 */
export function buildTrains(
  settings: Pick<TrainSettings, 'names' | 'anchor'>,
  schedule: TrainSchedule,
  services: readonly { name: string; defaultBranch: string }[],
  shaAtTime: TrainPorts['shaAtTime'],
  weeks: { from: number; to: number },
  now: Date,
  manualCuts: readonly ManualCut[] = [],
): Train[] {
  const manual = new Map(manualCuts.map((c) => [Date.parse(c.scheduledCut), c]))
  const trains: Train[] = []
  for (let week = weeks.from; week <= weeks.to; week += 1) {
    const cut = schedule.cutOf(week)
    const name = trainName(settings, week)
    const byHand = manual.get(cut.getTime())
    const shas: Record<string, Sha> = {}
    if (byHand !== undefined && Date.parse(byHand.at) <= now.getTime()) {
      for (const s of services) {
        const sha = byHand.shas[s.name]
        if (sha !== undefined) shas[s.name] = sha
      }
    } else if (cut.getTime() <= now.getTime()) {
      for (const s of services) {
        const sha = shaAtTime(s.name, s.defaultBranch, cut)
        if (sha !== undefined) shas[s.name] = sha
      }
    }
    const train: Train = {
      id: trainId(name, cut),
      name,
      week,
      cutAt: cut.toISOString(),
      cutDate: cutDate(cut, schedule.timeZone),
      deployAt: schedule.deployAfter(cut).toISOString(),
      shas,
    }
    if (byHand !== undefined && Date.parse(byHand.at) <= now.getTime())
      train.manualCut = { at: byHand.at, by: byHand.by }
    trains.push(train)
  }
  return trains
}

/** Whether a train has been cut at `now`: its scheduled cut has passed, or it was cut by hand before it. */
export function isCut(train: Train, now: Date): boolean {
  return train.manualCut !== undefined || Date.parse(train.cutAt) <= now.getTime()
}

/** The short form of a train for lists and messages. */
export function refOf(train: Train): TrainRef {
  const ref: TrainRef = { id: train.id, name: train.name, cutAt: train.cutAt, cutDate: train.cutDate }
  if (train.manualCut !== undefined) ref.manualCut = { ...train.manualCut }
  return ref
}

/**
 * How a SHA relates to the trains of one service. A SHA runs train T when it equals T's SHA or descends
 * from it but not from the next train's different SHA; since the trains' SHAs lie on the default branch's
 * first-parent line, that is the newest train whose SHA is an ancestor. Trains that share a SHA (a service
 * that did not change for a week) are all run at once: `trains` holds them, oldest first.
 */
export interface Placement {
  trains: Train[]
  /** The train SHA the placement sits on. */
  base: Sha
  kind: 'exact' | 'hotfix' | 'ahead'
}

/** Places SHAs among the cut trains, with a cache per service and SHA (ancestry questions are not free). */
export class TrainPlacer {
  private readonly cache = new Map<string, Placement | undefined>()

  constructor(
    private readonly trains: readonly Train[],
    private readonly ports: Pick<TrainPorts, 'isAncestor'>,
    /** The default branch tip of each service now: commits on it are "ahead", others "hotfix". */
    private readonly tips: Readonly<Record<string, Sha>>,
  ) {}

  /** Where `sha` of `service` sits among the trains; undefined when it is older than every train or unrelated. */
  place(service: string, sha: Sha): Placement | undefined {
    const key = `${service}\0${sha}`
    if (this.cache.has(key)) return this.cache.get(key)
    const placement = this.compute(service, sha)
    this.cache.set(key, placement)
    return placement
  }

  /** Whether `sha` runs `train` for `service` (exactly or with commits on top); `kinds` narrows what counts. */
  runs(service: string, sha: Sha, train: Train, kinds: readonly Placement['kind'][] = ['exact', 'hotfix', 'ahead']) {
    const p = this.place(service, sha)
    return p !== undefined && kinds.includes(p.kind) && p.trains.some((t) => t.id === train.id)
  }

  private compute(service: string, sha: Sha): Placement | undefined {
    const cut = this.trains.filter((t) => t.shas[service] !== undefined)
    for (let i = cut.length - 1; i >= 0; i -= 1) {
      const base = cut[i]?.shas[service]
      if (base === undefined || !this.ports.isAncestor(service, base, sha)) continue
      const trains = cut.filter((t) => t.shas[service] === base)
      const tip = this.tips[service]
      const kind =
        base === sha ? 'exact' : tip !== undefined && this.ports.isAncestor(service, sha, tip) ? 'ahead' : 'hotfix'
      return { trains, base, kind }
    }
    return undefined
  }
}
