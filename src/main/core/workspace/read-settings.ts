import type { WorkspaceSettings } from '../../../shared/models/workspace'
import type { Field, ReadContext } from './yaml-reader'
import { readMap, readNumber } from './yaml-reader'

/** Settings when the file gives none. */
export { defaultSettings } from '../../../shared/workspace/defaults'
import { defaultSettings } from '../../../shared/workspace/defaults'

/** Reads `settings:`, filling defaults. */
export function readSettings(ctx: ReadContext, field: Field | undefined): WorkspaceSettings {
  const settings = { ...defaultSettings }
  if (!field) return settings
  const fields = readMap(ctx, field.value, field, { what: '`settings`', keys: Object.keys(defaultSettings) })
  const minimum: Record<keyof WorkspaceSettings, number> = {
    fetchIntervalMinutes: 0,
    probeTimeoutMs: 1,
    probeConcurrency: 1,
  }
  for (const key of Object.keys(defaultSettings) as (keyof WorkspaceSettings)[]) {
    const value = readNumber(ctx, fields?.get(key), key, { min: minimum[key], integer: key !== 'fetchIntervalMinutes' })
    if (value !== undefined) settings[key] = value
  }
  return settings
}
