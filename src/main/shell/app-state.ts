import Store from 'electron-store'
import { appPaths } from '../core/app-paths'
import { createAppState, type AppStateStore } from '../core/app-state/app-state'
import { appStateStoreOptions } from '../core/app-state/migrations'
import type { AppState } from '../core/app-state/schema'
import type { WindowBounds } from './window-options'

/** App state in the shell: electron-store on the same file, schema and migrations as the CLI's `conf`. */
export function shellAppState(): {
  port: AppStateStore
  bounds(): WindowBounds
  saveBounds(bounds: WindowBounds): void
} {
  const store = new Store<AppState>({
    ...appStateStoreOptions,
    cwd: appPaths().data,
    name: 'app-state',
  })
  const port = createAppState(store)
  return {
    port,
    bounds: () => port.windowBounds() ?? { width: 1280, height: 820 },
    saveBounds: (bounds) =>
      port.setWindowBounds({
        x: bounds.x ?? 0,
        y: bounds.y ?? 0,
        width: bounds.width,
        height: bounds.height,
        maximized: bounds.maximized ?? false,
      }),
  }
}
