import type { WorkspaceView } from '../../../shared/api/views'
import { api } from './api'

/** The open workspace as the renderer knows it. */
export class WorkspaceState {
  view = $state.raw<WorkspaceView | null>(null)
  loading = $state(true)
  error = $state<string | null>(null)

  /** Loads the workspace the core has open and follows its changes. */
  async start(): Promise<void> {
    api.on('workspace.changed', (view) => {
      this.view = view
    })
    try {
      this.view = await api.invoke('workspace.current', {})
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
    } finally {
      this.loading = false
    }
  }

  /** Opens a workspace file by path. */
  async open(file: string): Promise<void> {
    this.error = null
    try {
      this.view = await api.invoke('workspace.open', { file })
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
    }
  }
}

/** The app's single workspace state. */
export const workspace = new WorkspaceState()
