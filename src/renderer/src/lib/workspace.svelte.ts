import type { WorkspaceView } from '../../../shared/api/views'
import { api } from './api'

/** The open workspace as the renderer knows it. */
export class WorkspaceState {
  view = $state.raw<WorkspaceView | null>(null)
  loading = $state(true)
  error = $state<string | null>(null)
  /** What a long action is doing, for a progress line. */
  busy = $state<string | null>(null)
  recent = $state<string[]>([])

  /** Loads the workspace the core has open and follows its changes. */
  async start(): Promise<void> {
    api.on('workspace.changed', (view) => {
      this.view = view
    })
    try {
      this.recent = await api.invoke('workspace.recent', {})
      this.view = await api.invoke('workspace.current', {})
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
    } finally {
      this.loading = false
    }
  }

  /** Prepares the built-in demo (or makes it again) and opens it. */
  async startDemo(reset = false): Promise<void> {
    this.error = null
    this.busy = reset ? 'Making the demo again…' : 'Preparing the demo…'
    try {
      this.view = await api.invoke('demo.start', { reset })
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
    } finally {
      this.busy = null
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
