import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runGit } from '../tests/support/git-repo'
import { generatedRepo, TRANSPORT_FULL, TRANSPORT_SMALL, type HistoryShape } from './big-repo'
import type { Bench, BenchFigure } from './harness'
import { bundle, measure, serveGenerated, type Measured } from './processes'

/*
 * Peak RSS after the clone, at 40k and 150k commits: each step (open the workspace, the matrix, `where`, the first
 * graph page) in a process of its own over a workspace of one service cloned through the product's own path
 * (`repos.fetch`: shallow first, then deepened), its commit index cached as the app leaves it. References: `node -e 0`
 * and git walking the same history (`git rev-list --all --count`). Flat means the 150k figure ≈ the 40k one.
 * TRAINYARD_BENCH_SIZE=small runs 3k only.
 */

const STEPS = ['open', 'matrix', 'where', 'graph'] as const
const MID: HistoryShape = { ...TRANSPORT_FULL, commits: 40_000, seed: 40 }

interface Size {
  label: string
  name: string
  shape: HistoryShape
}

const SIZES: Size[] = [
  { label: '40k', name: 'history-40k', shape: MID },
  { label: '150k', name: 'history-150k', shape: TRANSPORT_FULL },
]

function workspaceYaml(url: string, staging: string, production: string): string {
  return [
    'version: 1',
    'name: Memory bench',
    'services:',
    `  - { name: big, repo: "${url}", defaultBranch: master }`,
    'environments:',
    '  dev: { probe: { git-ref: master } }',
    `  staging: { probe: { git-ref: "${staging}" } }`,
    `  production: { probe: { git-ref: "${production}" } }`,
    'regions:',
    '  main: { label: Main, path: [dev, staging, production] }',
    'settings: { fetchIntervalMinutes: 0 }',
    '',
  ].join('\n')
}

async function measureSize(size: Size, child: string): Promise<{ fetch: Measured; steps: Map<string, Measured> }> {
  const repo = await serveGenerated(size.name, size.shape, 'memory')
  const { work, served, url } = repo
  try {
    // Production runs a train tag well below staging's, so the matrix counts drift over real history.
    const tags = runGit(served, ['tag', '--sort=-creatordate']).trim().split('\n')
    const file = join(work, 'memory.trainyard.yaml')
    writeFileSync(file, workspaceYaml(url, tags[1] ?? 'master', tags[6] ?? 'master'))
    const env = { TRAINYARD_HOME: join(work, 'home') }
    const fetch = await measure(process.execPath, [child, 'fetch', file], work, env)
    const asked = runGit(served, ['rev-list', '--max-count=200', 'master']).trim().split('\n').at(-1) ?? ''
    const steps = new Map<string, Measured>()
    for (const step of STEPS) steps.set(step, await measure(process.execPath, [child, step, file, asked], work, env))
    return { fetch, steps }
  } finally {
    await repo.close()
  }
}

export const bench: Bench = {
  title: 'peak RSS after the clone at 40k and 150k commits: workspace open, matrix, where, graph page',
  async run(): Promise<BenchFigure[]> {
    const small = process.env.TRAINYARD_BENCH_SIZE === 'small'
    const sizes = small ? [{ label: '3k', name: 'history-3k', shape: TRANSPORT_SMALL }] : SIZES
    const child = await bundle('memory-child')
    const node = await measure(process.execPath, ['-e', '0'], tmpdir())
    const figures: BenchFigure[] = []
    const results = new Map<string, Map<string, Measured>>()
    for (const size of sizes) {
      const { fetch, steps } = await measureSize(size, child)
      const gitWalk = await measure('git', ['rev-list', '--all', '--count'], await generatedRepo(size.name, size.shape))
      results.set(size.label, steps)
      figures.push({
        name: `${size.label}: first fetch through the app (shallow, then deepened), wall`,
        value: fetch.ms,
        unit: 'ms',
      })
      figures.push({
        name: `${size.label}: first fetch, peak RSS`,
        value: fetch.rssMb,
        unit: 'MB',
        reference: { name: 'node -e 0', value: node.rssMb },
      })
      for (const [step, m] of steps) {
        figures.push({
          name: `${size.label}: ${step}, peak RSS (${m.ms.toFixed(0)} ms)`,
          value: m.rssMb,
          unit: 'MB',
          reference: { name: 'node -e 0', value: node.rssMb },
        })
      }
      figures.push({ name: `${size.label}: git rev-list --all --count, peak RSS`, value: gitWalk.rssMb, unit: 'MB' })
    }
    const [low, high] = [results.get('40k'), results.get('150k')]
    if (low && high)
      for (const step of STEPS) {
        const [a, b] = [low.get(step), high.get(step)]
        if (a && b)
          figures.push({
            name: `${step}: peak RSS at 150k vs 40k commits`,
            value: b.rssMb,
            unit: 'MB',
            reference: { name: '40k', value: a.rssMb },
            goal: 'flat (≈ 1×)',
          })
      }
    return figures
  },
}
