import type { AppErrorData } from '../../../shared/errors'
import type { WhereAnswer } from '../../../shared/models/environments'
import { api } from './api'
import { errorOf } from './format'

/** The "where is my commit" palette: open or not, what was asked, and the answer. */
export class PaletteState {
  open = $state(false)
  query = $state('')
  answer = $state.raw<WhereAnswer | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  loading = $state(false)
  /** The one service whose answer is shown, when the query named commits in several. */
  only = $state<string | null>(null)
  fetching = $state(false)

  show(): void {
    this.open = true
  }

  close(): void {
    this.open = false
  }

  /** Fetches every service, then asks again: for a commit, PR or branch too new for the local clones. */
  async fetchAndRetry(): Promise<void> {
    this.fetching = true
    try {
      await api.invoke('repos.fetch', {})
    } catch (error) {
      this.error = errorOf(error)
      return
    } finally {
      this.fetching = false
    }
    await this.submit()
  }

  /** Asks where a SHA (short is fine), `#PR`, branch, tag or train is deployed. */
  async submit(): Promise<void> {
    const query = this.query.trim()
    if (!query) return
    this.loading = true
    this.error = null
    this.only = null
    try {
      this.answer = await api.invoke('environments.where', { query })
    } catch (error) {
      this.answer = null
      this.error = errorOf(error)
    } finally {
      this.loading = false
    }
  }
}

/** Whether an error is "nothing matches; fetch if it is new", which a fetch may answer. */
export function asksForFetch(error: AppErrorData | null): boolean {
  const details = error?.details
  return typeof details === 'object' && details !== null && (details as { fetch?: unknown }).fetch === true
}

/** The app's single palette. */
export const palette = new PaletteState()
