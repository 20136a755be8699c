import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ProbeResult } from '../../../../shared/models/environments'

/**
 * The last good probe result per service × environment, in memory and optionally in a JSON file so the
 * cockpit can answer offline. Only results with a value are kept; errors are never cached.
 */
export class ProbeCache {
  private readonly results = new Map<string, ProbeResult>()
  private loaded: Promise<void> | undefined
  private saving: Promise<void> = Promise.resolve()

  constructor(private readonly file?: string) {}

  /** The cached result of a cell, marked `cached: true`. */
  async get(service: string, environment: string): Promise<ProbeResult | undefined> {
    await this.load()
    const hit = this.results.get(key(service, environment))
    return hit ? { ...hit, cached: true } : undefined
  }

  /** Every cached result, marked `cached: true`. */
  async all(): Promise<ProbeResult[]> {
    await this.load()
    return [...this.results.values()].map((r) => ({ ...r, cached: true }))
  }

  /** Remembers a fresh result that carries a value. */
  async put(result: ProbeResult): Promise<void> {
    await this.load()
    if (result.error || result.raw === undefined) return
    const { error: _error, ...rest } = result
    this.results.set(key(result.service, result.environment), { ...rest, cached: false })
  }

  /** Writes the file (atomically: temp file, then rename); saves run one after another. */
  save(): Promise<void> {
    const file = this.file
    if (!file) return Promise.resolve()
    const write = async (): Promise<void> => {
      await this.load()
      await mkdir(dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify({ version: 1, results: [...this.results.values()] }, null, 1))
      await rename(tmp, file)
    }
    const next = this.saving.then(write, write)
    this.saving = next.catch(() => undefined)
    return next
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.file) return
      try {
        const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { version?: unknown; results?: unknown }
        if (parsed.version !== 1 || !Array.isArray(parsed.results)) return
        for (const r of parsed.results as ProbeResult[]) {
          if (typeof r.service === 'string' && typeof r.environment === 'string' && typeof r.asOf === 'string') {
            this.results.set(key(r.service, r.environment), r)
          }
        }
      } catch {
        // No cache yet, or an unreadable one: start empty; the next save replaces it.
      }
    })()
    return this.loaded
  }
}

function key(service: string, environment: string): string {
  return `${service}\u0000${environment}`
}
