import Conf from 'conf'
import { createAppState } from './app-state'
import type { AppStateStore, KeyValueStore } from './app-state'
import { appStateStoreOptions } from './migrations'
import type { MigrationStore } from './migrations'
import type { AppState } from './schema'

/** App state in plain Node (CLI, web host), and where its file is. */
export interface NodeAppState extends AppStateStore {
  path: string
}

/** Opens app state with conf: `cwd` overrides the per-user config folder (tests, portable installs). */
export function createNodeAppState(options: { cwd?: string; configName?: string } = {}): NodeAppState {
  const conf = new Conf<AppState>({
    ...appStateStoreOptions,
    migrations: appStateStoreOptions.migrations,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.configName === undefined ? {} : { configName: options.configName }),
  })
  const store = conf as unknown as KeyValueStore & MigrationStore
  return { ...createAppState(store), path: conf.path }
}
