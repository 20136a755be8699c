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

  show(): void {
    this.open = true
  }

  close(): void {
    this.open = false
  }

  /** Asks where a SHA (short is fine), `#PR` or branch is deployed. */
  async submit(): Promise<void> {
    const query = this.query.trim()
    if (!query) return
    this.loading = true
    this.error = null
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

/** The app's single palette. */
export const palette = new PaletteState()
