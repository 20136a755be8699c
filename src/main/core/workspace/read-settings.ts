import { isScalar } from 'yaml'
import type { WorkspaceSettings } from '../../../shared/models/workspace'
import type { Field, ReadContext } from './yaml-reader'
import { readMap, report } from './yaml-reader'

/** Settings when the file gives none. */
export { defaultSettings } from '../../../shared/workspace/defaults'
import { defaultSettings, settingBounds } from '../../../shared/workspace/defaults'

/** One setting: a whole number within its bounds, or a problem that says the range and the default. */
function readSetting(ctx: ReadContext, field: Field, key: keyof WorkspaceSettings): number | undefined {
  const { min, max, unit } = settingBounds[key]
  const value = isScalar(field.value) ? field.value.value : undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
  report(
    ctx,
    field,
    `${key} must be a whole number from ${min} to ${max}${typeof value === 'number' ? `, not ${value}` : ''}`,
    `write e.g. \`${key}: ${defaultSettings[key]}\` (${unit})`,
  )
  return undefined
}

/** Reads `settings:`, filling defaults. */
export function readSettings(ctx: ReadContext, field: Field | undefined): WorkspaceSettings {
  const settings = { ...defaultSettings }
  if (!field) return settings
  const fields = readMap(ctx, field.value, field, { what: '`settings`', keys: Object.keys(defaultSettings) })
  for (const key of Object.keys(defaultSettings) as (keyof WorkspaceSettings)[]) {
    const setting = fields?.get(key)
    const value = setting ? readSetting(ctx, setting, key) : undefined
    if (value !== undefined) settings[key] = value
  }
  return settings
}
