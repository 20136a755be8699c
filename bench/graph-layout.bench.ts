import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCommitIndex } from '../src/main/core/git/commit-index-open'
import { layoutGraph } from '../src/main/core/git/graph-layout'
import { GraphView } from '../src/main/core/git/graph-layout-view'
import { randomImportHistory } from '../tests/integration/git/commit-index-random-history'
import { createRepo, gitEnv } from '../tests/support/git-repo'
import { quantile, timeIt, type Bench, type BenchFigure } from './harness'

const COUNT = 100_000
const VERSION = 1

// The repository is generated once with git fast-import and kept under the OS temp dir between runs.
function benchRepo(): string {
  const path = join(tmpdir(), `trainyard-bench-graph-layout-${COUNT}-v${VERSION}`)
  if (existsSync(join(path, '.git', 'bench-ready'))) return path
  rmSync(path, { recursive: true, force: true })
  const repo = createRepo({ dir: path })
  const history = randomImportHistory(COUNT, COUNT, { lanes: 24 })
  repo.fastImport(history.commits, history.refs)
  repo.git('repack', '-adq')
  execFileSync('touch', [join(path, '.git', 'bench-ready')])
  return path
}

async function median(runs: number, work: () => unknown): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push((await timeIt(work)).ms)
  return quantile(times, 0.5)
}

/** Graph layout: the whole 100k-commit history laid out, against git ordering and drawing the same history. */
export const bench: Bench = {
  title: 'Graph layout',
  async run(): Promise<BenchFigure[]> {
    const path = benchRepo()
    const index = await openCommitIndex({
      gitdir: join(path, '.git'),
      cacheFile: join(tmpdir(), `trainyard-bench-graph-layout-${COUNT}.idx`),
    })
    const git =
      (...args: string[]) =>
      (): string =>
        execFileSync('git', args, { cwd: path, env: gitEnv(), maxBuffer: 1 << 30, encoding: 'utf8' })
    const topoMs = await median(3, git('rev-list', '--all', '--topo-order'))
    const graphMs = await median(3, git('log', '--all', '--graph', '--date-order', '--format=%h'))
    const layoutMs = await median(7, () => layoutGraph(index.columns))
    const viewMs = await median(5, () => new GraphView(index))
    const view = new GraphView(index)
    const pins = new Map<string, string[]>()
    const pageMs = await median(21, () => view.page('bench', Math.floor(index.size * 0.9), 200, pins))
    const label = `${Math.round(index.size / 1000)}k commits, ${view.layout.lanes} lanes`
    return [
      {
        name: `lane layout (${label})`,
        value: layoutMs,
        unit: 'ms',
        reference: { name: 'git rev-list --all --topo-order', value: topoMs },
        goal: '< 300 ms',
      },
      {
        name: `lane layout (${label})`,
        value: layoutMs,
        unit: 'ms',
        reference: { name: 'git log --all --graph --date-order', value: graphMs },
      },
      {
        name: `graph view with labels and links (${label})`,
        value: viewMs,
        unit: 'ms',
        reference: { name: 'git rev-list --all --topo-order', value: topoMs },
      },
      { name: 'page of 200 rows at 90% depth', value: pageMs, unit: 'ms', goal: '< 16 ms' },
      { name: 'peak RSS of the bench process', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
    ]
  },
}
