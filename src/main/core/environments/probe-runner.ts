import { AppError, toErrorData } from '../../../shared/errors'
import type { ProbeResult } from '../../../shared/models/environments'
import type { ProbeConfig, Workspace } from '../../../shared/models/workspace'
import type { Logger } from '../logger'
import type { ProbeContext } from '../integrations/probe-context'
import { runProbe } from '../integrations/registry'
import { ProbeCache } from './probes/probe-cache'
import { resolveDeployedSha } from './probes/resolve-sha'
import type { RefsReader, ShaResolver } from './probes/resolve-sha'

/** What the probe runner needs from the outside world. */
export interface ProbeRunnerOptions {
  workspace: Pick<Workspace, 'services' | 'environments' | 'endpoints' | 'settings'>
  /** Secret lookup by credential name. */
  secret: (name: string) => Promise<string | undefined>
  fetch?: typeof fetch
  clock?: () => Date
  /** Refs of a service's clone (tags peeled), for git-ref probes and branch/tag values. */
  refs?: RefsReader
  /** Commits of a service's clone starting with a hex prefix. */
  resolveSha?: ShaResolver
  /** JSON file keeping the last good results across restarts. */
  cacheFile?: string
  /** Called with each result as soon as it is known. */
  onResult?: (result: ProbeResult) => void
  /** Where unexpected failures (bugs, not AppErrors) go with their stack. */
  logger?: Logger
}

/** Which cells to probe; all by default. */
export interface ProbeFilter {
  services?: string[]
  environments?: string[]
  /** Stops the whole run; unfinished cells end as `cancelled`. */
  signal?: AbortSignal
}

/** Reads what runs where, every service × environment, each cell on its own. */
export interface ProbeRunner {
  /** Probes the cells with bounded concurrency; resolves when all are done, never rejects for one cell. */
  probeAll(filter?: ProbeFilter): Promise<ProbeResult[]>
  /** Probes one cell. */
  probe(service: string, environment: string, signal?: AbortSignal): Promise<ProbeResult>
  /** The last good results without probing (from memory or the cache file), marked `cached: true`. */
  cached(): Promise<ProbeResult[]>
}

/** Errors after which the last good value is still the best answer: the source could not be asked. */
const OFFLINE: ReadonlySet<string> = new Set(['endpoint-unreachable', 'timeout'])

/** Builds a probe runner over a workspace and its ports. */
export function createProbeRunner(options: ProbeRunnerOptions): ProbeRunner {
  const { workspace } = options
  const clock = options.clock ?? (() => new Date())
  const doFetch = options.fetch ?? fetch
  const cache = new ProbeCache(options.cacheFile)

  const cells = (filter: ProbeFilter = {}): { service: string; environment: string; config: ProbeConfig }[] => {
    const out: { service: string; environment: string; config: ProbeConfig }[] = []
    for (const service of workspace.services) {
      if (filter.services && !filter.services.includes(service.name)) continue
      for (const environment of workspace.environments) {
        if (filter.environments && !filter.environments.includes(environment.name)) continue
        const own = service.environments[environment.name]
        if (own?.skip) continue
        const config = own?.probe ?? environment.probe
        if (config.kind === 'none') continue
        out.push({ service: service.name, environment: environment.name, config })
      }
    }
    return out
  }

  async function probeCell(
    service: string,
    environment: string,
    config: ProbeConfig,
    outer?: AbortSignal,
  ): Promise<ProbeResult> {
    const asOf = clock().toISOString()
    const timeout = AbortSignal.timeout(workspace.settings.probeTimeoutMs)
    const signal = outer ? AbortSignal.any([timeout, outer]) : timeout
    const svc = workspace.services.find((s) => s.name === service)
    const refs = options.refs
    const ctx: ProbeContext = {
      service,
      environment,
      secret: options.secret,
      endpoints: workspace.endpoints,
      signal,
      fetch: doFetch,
      ...(svc?.github ? { github: svc.github } : {}),
      ...(refs ? { refs: () => refs(service) } : {}),
    }
    let raw: string | undefined
    try {
      const output = await untilAborted(runProbe(config, ctx), signal, service, environment, outer)
      raw = output.raw
      const sha = await untilAborted(
        resolveDeployedSha(service, raw, {
          ...(options.resolveSha ? { resolveSha: options.resolveSha } : {}),
          ...(refs ? { refs } : {}),
        }),
        signal,
        service,
        environment,
        outer,
      )
      const result: ProbeResult = { service, environment, raw, ...(sha ? { sha } : {}), asOf, cached: false }
      await cache.put(result)
      return result
    } catch (error) {
      const data = toErrorData(error)
      if (!(error instanceof AppError))
        options.logger?.error(`Probing ${service} in ${environment} failed unexpectedly`, error)
      const last = OFFLINE.has(data.code) ? await cache.get(service, environment) : undefined
      if (last) return { ...last, error: data }
      return { service, environment, ...(raw !== undefined ? { raw } : {}), error: data, asOf, cached: false }
    }
  }

  const emit = (result: ProbeResult): void => {
    try {
      options.onResult?.(result)
    } catch {
      // A listener's failure must not stop the other cells.
    }
  }

  return {
    async probeAll(filter = {}) {
      const todo = cells(filter)
      const results: ProbeResult[] = new Array<ProbeResult>(todo.length)
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < todo.length) {
          const i = next++
          const cell = todo[i]
          if (!cell) continue
          const result = await probeCell(cell.service, cell.environment, cell.config, filter.signal)
          results[i] = result
          emit(result)
        }
      }
      const width = Math.max(1, Math.min(workspace.settings.probeConcurrency, todo.length))
      await Promise.all(Array.from({ length: width }, worker))
      await cache.save().catch(() => undefined)
      return results
    },

    async probe(service, environment, signal) {
      const cell = cells({ services: [service], environments: [environment] })[0]
      if (!cell)
        throw new AppError('not-found', `There is no probe for ${service} in ${environment} in this workspace.`)
      const result = await probeCell(cell.service, cell.environment, cell.config, signal)
      emit(result)
      await cache.save().catch(() => undefined)
      return result
    },

    cached: () => cache.all(),
  }
}

/** Settles when the work does or the signal aborts, whichever is first, so a probe that ignores its signal cannot hold a slot. */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  service: string,
  environment: string,
  outer?: AbortSignal,
): Promise<T> {
  const abortError = (): AppError =>
    outer?.aborted
      ? new AppError('cancelled', `Probing ${service} in ${environment} was cancelled.`)
      : new AppError('timeout', `Probing ${service} in ${environment} took longer than the probe timeout.`)
  if (signal.aborted) return Promise.reject(abortError())
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError())
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        // A cancel always wins over whatever the aborted probe threw.
        reject(
          outer?.aborted
            ? abortError()
            : e instanceof Error
              ? e
              : new AppError('internal', 'A probe failed without an error.'),
        )
      },
    )
  })
}
