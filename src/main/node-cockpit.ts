import { appPaths } from './core/app-paths'
import { memoryAppState } from './core/app-state-port'
import type { Cockpit } from './core/cockpit'
import { createCockpit, type CockpitOptions } from './core/create-cockpit'

/** A cockpit for the plain-Node transports (CLI, web host): app state in `conf`, secrets in the keychain. */
export function createNodeCockpit(overrides: Partial<CockpitOptions> = {}): Promise<Cockpit> {
  const paths = overrides.paths ?? appPaths()
  return createCockpit({ paths, appState: memoryAppState(), ...overrides })
}
