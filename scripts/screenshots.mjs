// `npm run screenshots`: builds if needed, then runs the UI walkthrough with TRAINYARD_SCREENSHOTS=docs so it
// rewrites the README's pictures under docs/screenshots/ (npm test writes its screenshots to test-results/).
import { spawnSync } from 'node:child_process'
import { buildIfNeeded } from './build-if-needed.mjs'

buildIfNeeded()
const { status } = spawnSync(
  process.execPath,
  ['node_modules/@playwright/test/cli.js', 'test', 'tests/ui/walkthrough.spec.ts', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TRAINYARD_SCREENSHOTS: 'docs' } },
)
process.exit(status ?? 1)
