import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where Trainyard keeps clones, journals and caches. */
export interface AppPaths {
  /** Clones, the deploy journal, app state. */
  data: string
  /** Commit indexes, probe and patch-id caches: safe to delete. */
  cache: string
}

/**
 * The app's directories: `TRAINYARD_HOME` when set (tests, the demo), otherwise the platform's
 * usual places (XDG on Linux, Application Support on macOS, AppData on Windows).
 */
export function appPaths(env: NodeJS.ProcessEnv = process.env, platform = process.platform): AppPaths {
  if (env.TRAINYARD_HOME) return { data: join(env.TRAINYARD_HOME, 'data'), cache: join(env.TRAINYARD_HOME, 'cache') }
  const home = homedir()
  if (platform === 'darwin') {
    return {
      data: join(home, 'Library', 'Application Support', 'Trainyard'),
      cache: join(home, 'Library', 'Caches', 'Trainyard'),
    }
  }
  if (platform === 'win32') {
    const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming')
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local')
    return { data: join(appData, 'Trainyard'), cache: join(local, 'Trainyard', 'Cache') }
  }
  return {
    data: join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'trainyard'),
    cache: join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'trainyard'),
  }
}
