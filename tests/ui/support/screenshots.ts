import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../../..')

/**
 * Where a spec saves a screenshot named `name`: `docs/screenshots/` (the README's pictures) only under
 * `npm run screenshots`, which sets TRAINYARD_SCREENSHOTS=docs; `test-results/screenshots/` otherwise, so
 * `npm test` never rewrites tracked files.
 */
export function screenshotPath(name: string): string {
  const dir =
    process.env.TRAINYARD_SCREENSHOTS === 'docs'
      ? join(root, 'docs', 'screenshots')
      : join(root, 'test-results', 'screenshots')
  mkdirSync(dir, { recursive: true })
  return join(dir, name)
}
