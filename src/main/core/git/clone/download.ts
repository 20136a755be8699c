import { join } from 'node:path'
import type { RepoProgress } from '../../../../shared/api/views'
import type { Sha } from '../../../../shared/models/workspace'
import { ObjectStore } from '../objects/object-store'
import { PackReceiver, type ReceivedPack } from '../objects/pack-receiver'
import type { SmartHttp } from './smart-http'
import { UploadResponse, uploadRequest } from './upload-pack'

/** One pack download into a gitdir. */
export interface Download {
  gitdir: string
  http: SmartHttp
  capabilities: ReadonlyMap<string, string>
  wants: Sha[]
  haves: Sha[]
  /** A shallow clone or a deepening: the depth asked for and the clone's current boundary. */
  deepen?: number
  shallows?: Sha[]
  /** Each boundary change the server announces (a shallow request's answer). */
  onShallow?: (kind: 'shallow' | 'unshallow', sha: Sha) => void
  signal: AbortSignal
  /** Progress of this operation; the phase names are git's own. */
  report: (phase: string, loaded: number, total?: number, bytes?: number) => void
}

/**
 * Asks the server for the `wants` (telling it the `haves`), streams the pack into `objects/pack` and indexes
 * it; a fetch (with haves) takes a thin pack and completes it from the clone's own objects. Nothing is left
 * behind when it fails or is cancelled.
 */
export async function downloadPack(d: Download): Promise<ReceivedPack> {
  const thin = d.haves.length > 0
  const body = uploadRequest({
    wants: d.wants,
    haves: d.haves,
    capabilities: d.capabilities,
    thin,
    ...(d.deepen !== undefined ? { deepen: d.deepen, shallows: d.shallows ?? [] } : {}),
  })
  const receiver = await PackReceiver.open(join(d.gitdir, 'objects', 'pack'))
  let store: ObjectStore | undefined
  try {
    const response = new UploadResponse({
      onPack: (chunk) => receiver.push(chunk),
      ...(d.onShallow ? { onShallow: d.onShallow } : {}),
      onProgress: (line) => {
        const progress = parseProgress(line)
        if (progress) d.report(progress.phase, progress.loaded, progress.total)
      },
    })
    await d.http.uploadPack(body, (chunk) => {
      response.push(chunk)
      const { objects, total, bytes } = receiver.progress
      if (total >= 0) d.report('Receiving objects', objects, total, bytes)
    })
    response.finish()
    const received = receiver.progress
    d.report('Receiving objects', received.objects, received.total, received.bytes)
    if (thin) store = new ObjectStore(d.gitdir)
    const own = store
    return await receiver.finish({
      signal: d.signal,
      ...(own ? { external: (oid: Buffer) => own.read(oid.toString('hex')) } : {}),
      onResolving: (resolved, total) => d.report('Resolving deltas', resolved, total),
    })
  } catch (error) {
    await receiver.discard()
    throw error
  } finally {
    store?.close()
  }
}

/** A git progress line (`Counting objects:  45% (123/270)`, `Enumerating objects: 5`) as phase and counts. */
export function parseProgress(line: string): { phase: string; loaded: number; total?: number } | undefined {
  const match = /^(?:remote: )?([A-Za-z][A-Za-z ]*?):\s+(?:\d+% \((\d+)\/(\d+)\)|(\d+))/.exec(line)
  if (!match) return undefined
  const [, phase = '', loaded, total, count] = match
  return total !== undefined
    ? { phase, loaded: Number(loaded), total: Number(total) }
    : { phase, loaded: Number(count) }
}

/** Minimum time between two progress events of the same phase. */
const PROGRESS_EVERY_MS = 100

/** A progress reporter for one operation: each phase at most every 100 ms, its last event (loaded = total) always. */
export function progressReporter(
  service: string,
  operation: RepoProgress['operation'],
  onProgress: ((progress: RepoProgress) => void) | undefined,
): Download['report'] {
  let lastPhase = ''
  let lastAt = 0
  return (phase, loaded, total, bytes) => {
    if (!onProgress) return
    const at = Date.now()
    const done = total !== undefined && loaded >= total
    if (phase === lastPhase && !done && at - lastAt < PROGRESS_EVERY_MS) return
    lastPhase = phase
    lastAt = at
    try {
      onProgress({
        service,
        operation,
        phase,
        loaded,
        ...(total !== undefined ? { total } : {}),
        ...(bytes !== undefined ? { bytes } : {}),
      })
    } catch {
      // A listener's failure must not fail the transfer.
    }
  }
}
