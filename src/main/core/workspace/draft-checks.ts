/* eslint-disable no-control-regex -- finding control characters is what CONTROL is for */
import { lstat, readFile } from 'node:fs/promises'
import { isMap, parseDocument } from 'yaml'
import { MAX_WORKSPACE_BYTES } from './yaml-limits'

/** The file names a workspace may be written under: the same the open dialog and the docs use. */
export const WORKSPACE_FILE = /\.trainyard\.ya?ml$/

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: a name is one line of plain text.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/

/** The first text of the draft, key or value, holding a control character, as a path like `services[0].name`. */
export function controlCharacterAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? path : undefined
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = controlCharacterAt(item, `${path}[${index}]`)
      if (found) return found
    }
    return undefined
  }
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`
    if (CONTROL.test(key)) return at
    const found = controlCharacterAt(item, at)
    if (found) return found
  }
  return undefined
}

/**
 * Whether the file at `path` is a Trainyard workspace already (a regular file, a YAML mapping with `services`
 * and `environments`), the only kind `overwrite` may replace; false when there is none.
 */
export async function isWorkspaceFile(path: string): Promise<boolean> {
  const info = await lstat(path)
  if (!info.isFile() || info.size > MAX_WORKSPACE_BYTES) return false
  const doc = parseDocument(await readFile(path, 'utf8'), { uniqueKeys: false })
  const keys = isMap(doc.contents)
    ? doc.contents.items.map((pair) => String((pair.key as { value?: unknown }).value))
    : []
  return doc.errors.length === 0 && keys.includes('services') && keys.includes('environments')
}
