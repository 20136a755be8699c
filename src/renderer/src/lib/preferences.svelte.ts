import type { Preferences } from '../../../shared/api/views'
import { api } from './api'

/** UI preferences (theme, current view), kept in app state by the core. */
export class PreferencesState {
  theme = $state<Preferences['theme']>('system')
  view = $state<Preferences['lastView']>('environments')

  async start(): Promise<void> {
    try {
      const prefs = await api.invoke('preferences.get', {})
      this.theme = prefs.theme
      this.view = prefs.lastView
    } catch {
      // Preferences are a comfort; the app works with the defaults.
    }
    this.apply()
  }

  go(view: Preferences['lastView']): void {
    this.view = view
    void api.invoke('preferences.set', { lastView: view }).catch(() => {})
  }

  setTheme(theme: Preferences['theme']): void {
    this.theme = theme
    this.apply()
    void api.invoke('preferences.set', { theme }).catch(() => {})
  }

  private apply(): void {
    const dark =
      this.theme === 'dark' || (this.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches)
    document.documentElement.dataset.theme = dark ? 'dark' : 'light'
  }
}

/** The app's single preferences state. */
export const preferences = new PreferencesState()
