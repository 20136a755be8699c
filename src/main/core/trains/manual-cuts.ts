import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Sha } from '../../../shared/models/workspace'
import type { TrainPorts } from './ports'

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
