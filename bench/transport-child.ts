import { join } from 'node:path'
import { Clones } from '../src/main/core/git/clone/clones'
import { openCommitIndexWithSource } from '../src/main/core/git/commit-index-open'

/*
 * One Trainyard transfer in a process of its own, so the bench can take its wall time and peak RSS exactly as it
 * takes git's: `clone|fetch|index <root> <url> <cacheFile>`. Prints one JSON line of inner timings.
 */

const [mode = '', root = '', url = '', cacheFile = ''] = process.argv.slice(2)
const source = { service: 'big', url }
const clones = new Clones({ root, secret: () => Promise.resolve(undefined), idleTimeoutMs: 30 * 60_000 })
const gitdir = join(root, 'big.git')

async function main(): Promise<Record<string, unknown>> {
  // performance.now() counts from the process's start: what loading took before any work.
  const start = performance.now()
  process.stderr.write(`loaded after ${start.toFixed(0)} ms\n`)
  switch (mode) {
    case 'clone':
      await clones.open(source)
      return { ms: performance.now() - start }
    case 'fetch': {
      const outcome = await clones.fetch(source)
      const fetched = performance.now()
      const opened = await openCommitIndexWithSource({ gitdir, cacheFile })
      return {
        fetchMs: fetched - start,
        indexMs: performance.now() - fetched,
        moved: outcome.moved.length,
        index: opened.source,
        commitsRead: opened.commitsRead,
      }
    }
    case 'index': {
      const opened = await openCommitIndexWithSource({ gitdir, cacheFile })
      return { ms: performance.now() - start, index: opened.source, commits: opened.index.size }
    }
    default:
      throw new Error(`unknown mode ${mode}`)
  }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
    process.stderr.write(`done after ${performance.now().toFixed(0)} ms\n`)
    process.on('exit', () => process.stderr.write(`exit after ${performance.now().toFixed(0)} ms\n`))
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
