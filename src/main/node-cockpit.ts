import { appPaths } from './core/app-paths'
import { createNodeAppState } from './core/app-state/node-app-state'
import type { Cockpit } from './core/cockpit'
import { createCockpit, type CockpitOptions } from './core/create-cockpit'
import { demoPort } from './demo/demo-port'

/** A cockpit for the plain-Node transports (CLI, web host): app state in `conf` (the shell's file), secrets in the keychain. */
export function createNodeCockpit(overrides: Partial<CockpitOptions> = {}): Promise<Cockpit> {
  const paths = overrides.paths ?? appPaths()
  return createCockpit({
    paths,
    appState: createNodeAppState({ cwd: paths.data, configName: 'app-state' }),
    demo: demoPort,
    ...overrides,
  })
}
