import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { formatFigure, type Bench } from './harness'

// Runs every bench/*.bench.ts (or those named on the command line) and prints each figure as a ratio to its reference.
const dir = import.meta.dirname
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { bench?: Bench }
  if (!mod.bench) throw new Error(`${file} exports no \`bench\``)
  console.log(`${mod.bench.title} (${file})`)
  for (const figure of await mod.bench.run()) console.log(formatFigure(figure))
}
