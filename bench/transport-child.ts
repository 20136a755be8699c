import { join } from 'node:path'
import { Clones } from '../src/main/core/git/clone/clones'
import { openCommitIndex, openCommitIndexWithSource } from '../src/main/core/git/commit-index-open'
import { ancestry } from '../src/main/core/environments/where'
import { SHALLOW_FIRST_DEPTH } from '../src/main/core/git/clone/shallow'

/*
 * One Trainyard transfer in a process of its own, so the bench can take its wall time and peak RSS exactly as it
 * takes git's: `clone|fetch|index|first-answer <root> <url> <cacheFile> [sha] [depth]`. Prints one JSON line of inner timings.
 */

const [mode = '', root = '', url = '', cacheFile = '', asked = '', depth = String(SHALLOW_FIRST_DEPTH)] =
  process.argv.slice(2)
const source = { service: 'big', url }
const clones = new Clones({
  root,
  secret: () => Promise.resolve(undefined),
  idleTimeoutMs: 30 * 60_000,
  ...(mode === 'first-answer' ? { shallowDepth: Number(depth) } : {}),
})
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
    case 'first-answer': {
      // A first clone of recent history, its index, and one `where` question: is `asked` in the default branch?
      const outcome = await clones.open(source)
      const cloned = performance.now()
      const index = await openCommitIndex({ gitdir, cacheFile })
      const tip = index.resolve('origin/HEAD')
      const contains = ancestry(index, asked, tip)
      return {
        ms: performance.now() - start,
        cloneMs: cloned - start,
        partial: outcome.partial === true,
        commits: index.size,
        answer: contains === undefined ? 'not yet known' : contains ? 'deployed' : 'not-deployed',
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
