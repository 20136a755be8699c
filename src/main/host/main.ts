import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createNodeCockpit } from '../node-cockpit'
import { startWebHost } from './server'

// `npm run web [-- --demo] [-- --workspace <file>] [-- --port N] [-- --json]`: the cockpit in a browser.
const { values } = parseArgs({
  options: {
    workspace: { type: 'string', short: 'w' },
    demo: { type: 'boolean', default: false },
    port: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
})

/** The built renderer: beside this file once built (out/main/host.js), under out/ when run from src/. */
function rendererDir(): string {
  const built = join(import.meta.dirname, '../renderer')
  return existsSync(join(built, 'index.html')) ? built : join(import.meta.dirname, '../../../out/renderer')
}

const cockpit = await createNodeCockpit()
const workspace = values.workspace ?? process.env.TRAINYARD_WORKSPACE
if (values.demo && !workspace) {
  const opened = await cockpit.dispatch('demo.start', {})
  if (!opened.ok) process.stderr.write(`Could not start the demo: ${opened.error.message}\n`)
} else if (workspace) {
  const opened = await cockpit.dispatch('workspace.open', { file: workspace })
  if (!opened.ok) process.stderr.write(`Could not open ${workspace}: ${opened.error.message}\n`)
}
const host = await startWebHost({
  cockpit,
  rendererDir: rendererDir(),
  port: values.port ? Number(values.port) : 0,
})
if (values.json) process.stdout.write(`${JSON.stringify({ url: host.url, port: host.port })}\n`)
else
  process.stdout.write(
    `Trainyard is running at ${host.url}\n(loopback only; the token in the URL is the key. Ctrl+C stops it.)\n`,
  )

const stop = async () => {
  await host.close()
  await cockpit.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
