import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCommitIndex } from '../src/main/core/git/commit-index-open'
import { seededRandom } from '../src/shared/seeded-random'
import { randomImportHistory } from '../tests/integration/git/commit-index-random-history'
import { createRepo, gitEnv } from '../tests/support/git-repo'
import { quantile, timeIt, type Bench, type BenchFigure } from './harness'

// Repos are generated once with git fast-import and kept under the OS temp dir between runs.
const VERSION = 2

function benchRepo(count: number): string {
  const path = join(tmpdir(), `trainyard-bench-commit-index-${count}-v${VERSION}`)
  if (existsSync(join(path, '.git', 'bench-ready'))) return path
  rmSync(path, { recursive: true, force: true })
  const repo = createRepo({ dir: path })
  // About a tenth of the generated commits end up on abandoned lines; generate more so `count` stay reachable.
  const history = randomImportHistory(count, Math.round(count * 1.12), { lanes: 24 })
  repo.fastImport(history.commits, history.refs)
  // Like a fresh clone: one pack, commits first; no commit-graph, so git walks objects as we do.
  repo.git('repack', '-adq')
  rmSync(join(path, '.git', 'objects', 'info', 'commit-graph'), { force: true })
  execFileSync('touch', [join(path, '.git', 'bench-ready')])
  return path
}

async function median(runs: number, work: () => unknown): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push((await timeIt(work)).ms)
  return quantile(times, 0.5)
}

async function figuresFor(count: number): Promise<BenchFigure[]> {
  const path = benchRepo(count)
  const gitdir = join(path, '.git')
  const cacheFile = join(tmpdir(), `trainyard-bench-commit-index-${count}.idx`)
  const revList = (): string =>
    execFileSync('git', ['rev-list', '--all', '--parents'], {
      cwd: path,
      env: gitEnv(),
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    })
  const gitMs = await median(3, revList)
  const commits = revList()
    .split('\n')
    .filter((l) => l.length > 0).length
  const label = `${Math.round(commits / 1000)}k commits`

  const coldMs = await median(3, async () => {
    rmSync(cacheFile, { force: true })
    await openCommitIndex({ gitdir, cacheFile })
  })
  const warmMs = await median(7, () => openCommitIndex({ gitdir, cacheFile }))
  const index = await openCommitIndex({ gitdir, cacheFile })
  if (index.size !== commits) throw new Error(`index holds ${index.size} commits, git lists ${commits}`)

  const rnd = seededRandom(count)
  const shas = Array.from({ length: index.size }, (_, i) => index.shaAt(i))
  const pick = (): string => shas[Math.floor(rnd() * shas.length)] as string
  const ancestry: number[] = []
  const bases: number[] = []
  // Warm the JIT first so the figures describe a running app, not the interpreter.
  for (let i = 0; i < 2000; i++) index.isAncestor(pick(), pick())
  for (let i = 0; i < 10_000; i++) {
    const [a, b] = [pick(), pick()]
    ancestry.push((await timeIt(() => index.isAncestor(a, b))).ms)
    if (i < 1000) bases.push((await timeIt(() => index.mergeBases(a, b))).ms)
  }
  return [
    {
      name: `cold index build (${label})`,
      value: coldMs,
      unit: 'ms',
      reference: { name: 'git rev-list --all --parents', value: gitMs },
      goal: '≤ 2×',
    },
    {
      name: `warm load (${label})`,
      value: warmMs,
      unit: 'ms',
      reference: { name: 'git rev-list --all --parents', value: gitMs },
      goal: '≤ 0.5×',
    },
    { name: `isAncestor p50 (${label}, 10k random pairs)`, value: quantile(ancestry, 0.5), unit: 'ms' },
    {
      name: `isAncestor p99 (${label}, 10k random pairs)`,
      value: quantile(ancestry, 0.99),
      unit: 'ms',
      goal: 'p99 ≤ 1 ms',
    },
    { name: `mergeBases p50 (${label}, 1k random pairs)`, value: quantile(bases, 0.5), unit: 'ms' },
    { name: `mergeBases p99 (${label}, 1k random pairs)`, value: quantile(bases, 0.99), unit: 'ms' },
  ]
}

/** Commit index: cold build and warm load against git rev-list, ancestry latency, peak memory. */
export const bench: Bench = {
  title: 'Commit index',
  async run() {
    const figures = [...(await figuresFor(40_000)), ...(await figuresFor(100_000))]
    figures.push({ name: 'peak RSS of the bench process', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' })
    return figures
  },
}
