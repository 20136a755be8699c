import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** UI preferences kept in app state. */
export function preferenceCommands(ctx: CockpitContext): Pick<CommandHandlers, 'preferences.get' | 'preferences.set'> {
  return {
    'preferences.get': () => Promise.resolve(ctx.appState.preferences()),
    'preferences.set': (change) => Promise.resolve(ctx.appState.setPreferences(change)),
  }
}
