import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Train, TrainBoard, TrainDryRun } from '../../../shared/models/trains'
import type { Sha } from '../../../shared/models/workspace'
import { promotePlan, trainBoard } from './board'
import { trainContext, type TrainContext } from './context'
import { trainDryRun } from './dry-run'
import { refOf } from './model'
import type { TrainInputs, TrainPorts } from './ports'

/**
 * "Cut the train now": the next train is frozen at each service's default branch as it is at that moment, so
 * commits made after it wait for the following train. Recorded per train (by its scheduled cut) in a JSON file of
 * the workspace's state; the model is not changed: the ports answer the scheduled cut with the frozen SHAs.
 */
export interface ManualCut {
  /** The scheduled cut instant of the train that was cut early (ISO). */
  scheduledCut: string
  /** When it was cut (ISO). */
  at: string
  by: string
  /** Default branch SHA of each service at `at`. */
  shas: Record<string, Sha>
}

/** The manual cuts recorded in `file` (none when it does not exist). */
export async function readManualCuts(file: string): Promise<ManualCut[]> {
  const text = await readFile(file, 'utf8').catch(() => '[]')
  const parsed: unknown = JSON.parse(text)
  return Array.isArray(parsed) ? (parsed as ManualCut[]) : []
}

/** Records a manual cut, replacing an earlier one of the same train. */
export async function recordManualCut(file: string, cut: ManualCut): Promise<void> {
  const cuts = (await readManualCuts(file)).filter((c) => c.scheduledCut !== cut.scheduledCut)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify([...cuts, cut], null, 2))
}

/** Ports whose default-branch answer at a manually cut train's scheduled cut is the SHA frozen at the manual cut. */
export function withManualCuts(
  ports: TrainPorts,
  cuts: readonly ManualCut[],
  defaultBranch: (service: string) => string | undefined,
): TrainPorts {
  if (cuts.length === 0) return ports
  const frozen = new Map(cuts.map((c) => [Date.parse(c.scheduledCut), c]))
  return {
    ...ports,
    shaAtTime(service, branch, instant) {
      const cut = frozen.get(instant.getTime())
      const sha = cut?.shas[service]
      if (sha !== undefined && branch === defaultBranch(service)) return sha
      return ports.shaAtTime(service, branch, instant)
    },
  }
}

/** The trains cut by hand whose scheduled cut is still ahead: the planned train with the frozen SHAs. */
export function manualTrains(ctx: TrainContext, cuts: readonly ManualCut[]): Train[] {
  const now = ctx.input.now.getTime()
  return cuts.flatMap((c) => {
    const planned = ctx.trains.find((t) => t.cutAt === c.scheduledCut && Date.parse(t.cutAt) > now)
    return planned === undefined ? [] : [{ ...planned, shas: { ...c.shas } }]
  })
}

/**
 * The board with the trains cut by hand ahead of schedule: such a train shows as cut and is the first region's
 * next train (with the model's dry run) until its scheduled cut, when the model itself takes it over.
 */
export function boardWithManualCuts(input: TrainInputs, cuts: readonly ManualCut[]): TrainBoard {
  const board = trainBoard(input)
  const ctx = trainContext(input)
  const early = manualTrains(ctx, cuts)
  for (const train of early) {
    const status = board.trains.find((s) => s.train.id === train.id)
    if (status !== undefined) {
      status.train = train
      status.phase = 'cut'
    }
    const runs = ctx.regions[0]
    const view = board.regions[0]
    if (runs === undefined || view === undefined) continue
    view.next = refOf(train)
    delete view.nextWhy
    view.dryRun = trainDryRun(ctx, runs, train)
  }
  return board
}

/** The promote plan of a train, including one cut by hand ahead of schedule. */
export function promotePlanWithManualCuts(
  input: TrainInputs,
  cuts: readonly ManualCut[],
  region: string,
  trainId: string,
): TrainDryRun {
  const ctx = trainContext(input)
  const early = manualTrains(ctx, cuts).find((t) => t.id === trainId)
  const runs = ctx.regions.find((r) => r.region.name === region)
  if (early === undefined || runs === undefined) return promotePlan(input, region, trainId)
  return trainDryRun(ctx, runs, early)
}
