import type { AppRequest } from '../../../shared/api/views'
import { api } from './api'
import { palette } from './palette.svelte'
import { preferences } from './preferences.svelte'

/** What the desktop shell's menu and tray asked for (`app.requested`), for the views that act on it. */
export class AppRequests {
  /** A run the tray asked to open; the Deploys view opens it and clears this. */
  runToOpen = $state<string | null>(null)
  /** Counts "Refresh" requests; the Environments view reloads with fresh probes when it changes. */
  refreshes = $state(0)

  /** Follows `app.requested`; returns the function that stops. */
  start(): () => void {
    return api.on('app.requested', (request) => this.handle(request))
  }

  handle(request: AppRequest): void {
    switch (request.action) {
      case 'find-commit':
        palette.show()
        return
      case 'open-run':
        this.runToOpen = request.runId
        preferences.go('deploys')
        return
      case 'go-to':
        preferences.go(request.view)
        return
      case 'refresh':
        this.refreshes += 1
        preferences.go('environments')
        return
      default: {
        const never: never = request
        return never
      }
    }
  }
}

/** The app's single follower of shell requests. */
export const appRequests = new AppRequests()
