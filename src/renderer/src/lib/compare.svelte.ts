import type { AppErrorData } from '../../../shared/errors'
import type { Comparison } from '../../../shared/models/commits'
import { api } from './api'
import { errorOf } from './format'

/** Commits between two points of one service, as the compare panel shows them. */
export class CompareState {
  comparison = $state.raw<Comparison | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  loading = $state(false)
  private asked = 0

  /** Compares `from` with `to` (SHAs, branches, tags or environment names); a newer request wins over an older one. */
  async load(service: string, from: string, to: string): Promise<void> {
    const ask = ++this.asked
    this.loading = true
    this.error = null
    try {
      const comparison = await api.invoke('environments.compare', { service, from, to })
      if (ask === this.asked) this.comparison = comparison
    } catch (error) {
      if (ask === this.asked) {
        this.error = errorOf(error)
        this.comparison = null
      }
    } finally {
      if (ask === this.asked) this.loading = false
    }
  }

  clear(): void {
    this.asked++
    this.comparison = null
    this.error = null
    this.loading = false
  }
}
