// `npm test`: every check, in order: format, lint, typecheck, svelte-check, build, unit, integration, UI.
import { spawnSync } from 'node:child_process'

const steps = [
  ['format', ['node_modules/prettier/bin/prettier.cjs', '--check', '.']],
  ['lint', ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.']],
  ['typecheck', ['node_modules/typescript/bin/tsc', '-b']],
  [
    'svelte-check',
    ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.web.json', '--fail-on-warnings'],
  ],
  ['build', ['node_modules/electron-vite/bin/electron-vite.js', 'build']],
  ['unit + integration', ['node_modules/vitest/vitest.mjs', 'run']],
  ['ui', ['node_modules/@playwright/test/cli.js', 'test']],
]

const only = process.argv.slice(2)
const results = []
for (const [name, args] of steps) {
  if (only.length > 0 && !only.includes(name.split(' ')[0])) continue
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' })
  results.push({ name, ok: status === 0, seconds: Math.round((Date.now() - started) / 1000) })
  if (status !== 0) break
}
console.log('\n=== summary ===')
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds}s)`)
const failedCount = results.filter((r) => !r.ok).length
console.log(`${results.length - failedCount} passed, ${failedCount} failed`)
process.exit(failedCount === 0 && results.length > 0 ? 0 : 1)
