import type { Preferences } from '../../../shared/api/views'
import type { AppStatePort } from '../app-state-port'
import { readBounds, readPreferences, readRecent, recentLimit } from './schema'
import type { WindowBounds } from './schema'

/** The key-value store underneath: a conf or electron-store instance. */
export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

/** App state: recent workspaces, UI preferences and window bounds, read defensively from the store. */
export interface AppStateStore extends AppStatePort {
  /** Drops a workspace file from the recent list (e.g. it no longer exists). */
  forgetWorkspace(file: string): void
  windowBounds(): WindowBounds | undefined
  setWindowBounds(bounds: WindowBounds): void
}

/** App state over any conf-like store; the shell passes electron-store, the CLI and host pass conf. */
export function createAppState(store: KeyValueStore): AppStateStore {
  const recent = (): string[] => readRecent(store.get('recentWorkspaces'))
  return {
    recentWorkspaces: recent,
    rememberWorkspace(file) {
      store.set('recentWorkspaces', [file, ...recent().filter((f) => f !== file)].slice(0, recentLimit))
    },
    forgetWorkspace(file) {
      store.set(
        'recentWorkspaces',
        recent().filter((f) => f !== file),
      )
    },
    preferences: () => readPreferences(store.get('preferences')),
    setPreferences(change: Partial<Preferences>) {
      const next = readPreferences({ ...readPreferences(store.get('preferences')), ...change })
      store.set('preferences', next)
      return next
    },
    windowBounds: () => readBounds(store.get('windowBounds')),
    setWindowBounds(bounds) {
      const checked = readBounds(bounds)
      if (checked) store.set('windowBounds', checked)
    },
  }
}
