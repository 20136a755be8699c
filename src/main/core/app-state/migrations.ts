import { appStateDefaults, appStateSchemaVersion, readBounds, readRecent } from './schema'

/** The store a migration edits: what conf and electron-store both hand to their migrations. */
export interface MigrationStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
  has(key: string): boolean
}

/**
 * Schema 0 (Trainyard before app state had a schema) kept flat keys: `recent`, `theme`, `view`, `bounds`.
 * Schema 1 groups preferences and names things as the UI does. Running it twice, or on a fresh store, changes nothing.
 */
export function migrateToVersion1(store: MigrationStore): void {
  if (store.has('recent')) {
    const kept = readRecent(store.get('recentWorkspaces'))
    store.set('recentWorkspaces', readRecent([...readRecent(store.get('recent')), ...kept]))
    store.delete('recent')
  }
  const stored = store.get('preferences')
  const preferences: Record<string, unknown> =
    typeof stored === 'object' && stored !== null ? { ...stored } : { ...appStateDefaults.preferences }
  for (const [old, current] of [
    ['theme', 'theme'],
    ['view', 'lastView'],
  ] as const) {
    if (!store.has(old)) continue
    preferences[current] = store.get(old)
    store.delete(old)
  }
  store.set('preferences', preferences)
  if (store.has('bounds')) {
    const bounds = readBounds(store.get('bounds'))
    if (bounds) store.set('windowBounds', bounds)
    store.delete('bounds')
  }
}

/** Migrations keyed by the semver conf and electron-store expect: schema N is version `N.0.0`. */
export const appStateMigrations: Record<string, (store: MigrationStore) => void> = {
  '1.0.0': migrateToVersion1,
}

/** The options conf (Node) and electron-store (the shell) are both opened with, so both read and migrate the same file format. */
export const appStateStoreOptions = {
  projectName: 'trainyard',
  projectVersion: `${appStateSchemaVersion}.0.0`,
  defaults: appStateDefaults,
  migrations: appStateMigrations,
}
