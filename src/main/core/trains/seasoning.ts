import type { DeployRun } from '../../../shared/models/deploys'
import type { Seasoning, Train } from '../../../shared/models/trains'
import type { Region, Sha } from '../../../shared/models/workspace'
import type { TrainPlacer } from './model'
import type { TrainSchedule } from './schedule'
import type { ProbeTable } from './state'

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

/**
 * How long the first region has run `train` without a break, from the journal's succeeded production runs.
 * A run counts when its SHA is the train's exactly or with a hotfix on top; a deploy of later default-branch
 * commits ("ahead") breaks the streak. Where the journal is silent the schedule is assumed: a service whose
 * production runs the train now started at the train's deploy slot; one with no run of it in the journal ran
 * it from that slot until the next train's slot (`nextDeployAt`) or the journal's first run after it, if sooner.
 * Undefined when the train never ran there.
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
        else {
          // Deployed outside Trainyard at its slot, it ran until the next train's slot or the journal's next run.
          const leaving = runs.find((r) => runTime(r) > deployAt)
          const until = Math.min(nextDeployAt ?? Infinity, leaving === undefined ? Infinity : runTime(leaving))
          if (until === Infinity || deployAt >= now.getTime()) return undefined
          since = Math.max(since, deployAt)
          end = Math.min(end, until, now.getTime())
        }
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
