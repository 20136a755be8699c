// `npm run web [-- --demo] [-- --workspace file]`: builds if needed, then serves Trainyard on 127.0.0.1.
import { spawn } from 'node:child_process'
import { buildIfNeeded } from './build-if-needed.mjs'

buildIfNeeded()
const child = spawn(process.execPath, ['out/main/host.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
