import type { Preferences } from '../../shared/api/views'

/** App state the core reads and writes: recent workspaces and UI preferences (conf in Node, electron-store in the shell). */
export interface AppStatePort {
  recentWorkspaces(): string[]
  /** Puts a workspace file first in the recent list (at most 10 kept). */
  rememberWorkspace(file: string): void
  preferences(): Preferences
  setPreferences(change: Partial<Preferences>): Preferences
}

/** An in-memory AppStatePort, for tests and throwaway sessions. */
export function memoryAppState(): AppStatePort {
  let recent: string[] = []
  let prefs: Preferences = { theme: 'system', lastView: 'environments' }
  return {
    recentWorkspaces: () => [...recent],
    rememberWorkspace: (file) => {
      recent = [file, ...recent.filter((f) => f !== file)].slice(0, 10)
    },
    preferences: () => ({ ...prefs }),
    setPreferences: (change) => (prefs = { ...prefs, ...change }),
  }
}
