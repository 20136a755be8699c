import type { Notice } from '../../../shared/api/views'
import { api } from './api'

/** A notice on screen, with an id to dismiss it by. */
export interface Toast extends Notice {
  id: number
}

/** In-app toasts for the notifications the core records (`notifications.shown`). */
export class ToastState {
  items = $state.raw<Toast[]>([])
  private next = 1

  /** Follows `notifications.shown`; returns the function that stops. */
  start(): () => void {
    return api.on('notifications.shown', (notice) => this.show(notice))
  }

  show(notice: Notice): void {
    const toast = { ...notice, id: this.next++ }
    this.items = [...this.items, toast].slice(-4)
    // Failures stay until dismissed: someone has to act on them.
    if (notice.kind !== 'failed') setTimeout(() => this.dismiss(toast.id), 12_000)
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id)
  }
}

/** The app's single toast list. */
export const toasts = new ToastState()
