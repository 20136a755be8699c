import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { quantile, type Bench } from './harness'

/*
 * `trainyard --help` as a whole process, as a user starts it (`node bin/trainyard.mjs`, which runs the built
 * CLI), against the least any Node command can cost: `node -e 0`. Runs alternate so both see the same load.
 */
const RUNS = 20
const bin = join(import.meta.dirname, '..', 'bin', 'trainyard.mjs')

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${String(result.stderr)}`)
  return ms
}

export const bench: Bench = {
  title: 'CLI start-up: whole processes',
  run() {
    buildIfNeeded()
    const help: number[] = []
    const bare: number[] = []
    // One warm-up of each: the first start reads everything from disk.
    wallMs([bin, '--help'])
    wallMs(['-e', '0'])
    for (let i = 0; i < RUNS; i++) {
      help.push(wallMs([bin, '--help']))
      bare.push(wallMs(['-e', '0']))
    }
    return Promise.resolve([
      {
        name: `trainyard --help, median of ${RUNS}`,
        value: quantile(help, 0.5),
        unit: 'ms',
        reference: { name: 'node -e 0', value: quantile(bare, 0.5) },
        goal: '≤ 2.5× node -e 0',
      },
    ])
  },
}
