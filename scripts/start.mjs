// `npm start`: the Electron app where its binary exists; otherwise says so and serves the demo in a browser.
import { spawn } from 'node:child_process'
import { buildIfNeeded } from './build-if-needed.mjs'
import { electronBinary } from './electron-available.mjs'

buildIfNeeded()
const binary = electronBinary()
const args = binary ? [binary, ['.']] : [process.execPath, ['out/main/host.js', '--demo', ...process.argv.slice(2)]]
if (!binary) {
  console.log('The Electron binary is not installed on this machine, so Trainyard starts in your browser instead')
  console.log('(the same as `npm run web -- --demo`). Open the URL below.\n')
}
const child = spawn(args[0], args[1], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
