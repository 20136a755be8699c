import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Sha } from '../../../shared/models/workspace'

/**
 * "Cut the train now": the next train frozen at each service's default branch as it is at that moment, so
 * commits made after it wait for the following train. It is one of the model's inputs (`TrainInputs.manualCuts`):
 * the train whose scheduled cut is `scheduledCut` takes these SHAs and counts as cut from `at` on.
 */
export interface ManualCut {
  /** The scheduled cut instant of the train that was cut early (ISO): the train's identity. */
  scheduledCut: string
  /** When it was cut (ISO). */
  at: string
  by: string
  /** Default branch SHA of each service at `at`. */
  shas: Record<string, Sha>
}

/** The file of a workspace's manual cuts, in the state folder it is given. */
export function manualCutsFile(stateDir: string): string {
  return join(stateDir, 'manual-cuts.json')
}

/** The manual cuts recorded in `file` (none when it does not exist). */
export async function readManualCuts(file: string): Promise<ManualCut[]> {
  const text = await readFile(file, 'utf8').catch(() => '[]')
  const parsed: unknown = JSON.parse(text)
  return Array.isArray(parsed) ? (parsed as ManualCut[]) : []
}

/** Records a manual cut, replacing an earlier one of the same train; written whole, then renamed into place. */
export async function recordManualCut(file: string, cut: ManualCut): Promise<void> {
  const cuts = (await readManualCuts(file)).filter((c) => c.scheduledCut !== cut.scheduledCut)
  await mkdir(dirname(file), { recursive: true })
  const temporary = `${file}.tmp`
  await writeFile(temporary, JSON.stringify([...cuts, cut], null, 2))
  await rename(temporary, file)
}
