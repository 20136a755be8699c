import { VIEW_IDS, type Preferences } from '../../../shared/api/views'

/** Where and how big the main window was, to reopen it there. */
export interface WindowBounds {
  x: number
  y: number
  width: number
  height: number
  maximized: boolean
}

/** App state as stored (schema version 1): per machine and user, never in a workspace file, never a secret. */
export interface AppState {
  /** Workspace files, most recent first. */
  recentWorkspaces: string[]
  windowBounds?: WindowBounds
  preferences: Preferences
}

/** The current schema version of the app-state file. */
export const appStateSchemaVersion = 1

/** How many recent workspaces are kept. */
export const recentLimit = 10

/** App state on a fresh machine. */
export const appStateDefaults: AppState = {
  recentWorkspaces: [],
  preferences: { theme: 'system', lastView: 'environments' },
}

const themes: readonly Preferences['theme'][] = ['system', 'light', 'dark']

/** Preferences as stored, with anything unknown (a hand-edited file, a newer version's value) replaced by the default. */
export function readPreferences(value: unknown): Preferences {
  const stored = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const defaults = appStateDefaults.preferences
  return {
    theme: themes.find((theme) => theme === stored.theme) ?? defaults.theme,
    lastView: VIEW_IDS.find((view) => view === stored.lastView) ?? defaults.lastView,
  }
}

/** Recent workspaces as stored: strings only, no repeats, at most `recentLimit`. */
export function readRecent(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return [...new Set(value.filter((item): item is string => typeof item === 'string' && item !== ''))].slice(
    0,
    recentLimit,
  )
}

/** Window bounds as stored, or undefined if they are missing or not numbers. */
export function readBounds(value: unknown): WindowBounds | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { x, y, width, height, maximized } = value as Record<string, unknown>
  const numbers = [x, y, width, height]
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined
  if ((width as number) <= 0 || (height as number) <= 0) return undefined
  return {
    x: x as number,
    y: y as number,
    width: width as number,
    height: height as number,
    maximized: maximized === true,
  }
}
