#!/usr/bin/env node
// The `trainyard` command: runs the CLI as the project's build made it (out/main/cli.js), plain JavaScript.
// In a checkout (src/ beside it) it first builds when the build is missing or older than the sources.
import { existsSync } from 'node:fs'
import module from 'node:module'

// Node keeps the compiled code of the CLI and its dependencies on disk (Node ≥ 22.1): later starts skip most parsing.
module.enableCompileCache?.()

if (existsSync(new URL('../src/main/cli/main.ts', import.meta.url))) {
  const { buildIfNeeded } = await import('../scripts/build-if-needed.mjs')
  buildIfNeeded()
}
const { main } = await import('../out/main/cli.js')
process.exitCode = await main(process.argv.slice(2))
