import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { ProbeResult } from '../src/shared/models/environments'
import type { Workspace } from '../src/shared/models/workspace'
import { resolveQuery, whereIs, type EquivalentFinder } from '../src/main/core/environments/where'
import type { CommitIndex } from '../src/main/core/git/commit-index'
import { openCommitIndex } from '../src/main/core/git/commit-index-open'
import { Equivalence } from '../src/main/core/git/equivalence/equivalence'
import { seededRandom } from '../src/shared/seeded-random'
import { randomImportHistory } from '../tests/integration/git/commit-index-random-history'
import { createRepo } from '../tests/support/git-repo'
import { quantile, timeIt, type Bench, type BenchFigure } from './harness'

const run = promisify(execFile)
const SERVICES = 20
const ENVIRONMENTS = ['dev', 'qa', 'staging', 'production-uk', 'production-us']
const COMMITS = 20_000
const QUERIES = 20

function repoPath(): string {
  const path = join(tmpdir(), `trainyard-bench-where-${COMMITS}-v1`)
  if (fs.existsSync(join(path, '.git', 'bench-ready'))) return path
  fs.rmSync(path, { recursive: true, force: true })
  const repo = createRepo({ dir: path })
  const history = randomImportHistory(COMMITS, Math.round(COMMITS * 1.12), { lanes: 12 })
  repo.fastImport(history.commits, history.refs)
  repo.git('repack', '-adq')
  fs.writeFileSync(join(path, '.git', 'bench-ready'), '')
  return path
}

/** "Where is my commit" for one SHA over 20 services × 5 environments with probes cached, vs the git CLI asking the same. */
export const bench: Bench = {
  title: 'where is my commit, 20 services × 5 environments, probes cached',
  async run(): Promise<BenchFigure[]> {
    const path = repoPath()
    const gitdir = join(path, '.git')
    const cacheDir = fs.mkdtempSync(join(tmpdir(), 'trainyard-bench-where-'))
    const rssBefore = process.memoryUsage().rss
    // Twenty services, each with its own index (over one history here, as twenty clones would be).
    const indexes: CommitIndex[] = []
    for (let i = 0; i < SERVICES; i++)
      indexes.push(await openCommitIndex({ gitdir, cacheFile: join(cacheDir, `s${i}.idx`) }))
    const first = indexes[0] as CommitIndex
    const random = seededRandom(7)
    const pick = () => first.shaAt(Math.floor(random() * first.size))
    const names = Array.from({ length: SERVICES }, (_, i) => `service-${i}`)
    const workspace = {
      services: names.map((name) => ({ name, repo: { url: '' }, defaultBranch: 'master', environments: {} })),
      environments: ENVIRONMENTS.map((name) => ({ name, probe: { kind: 'none' }, requirePreviousSuccess: false })),
      regions: [{ name: 'uk', label: 'UK', path: ENVIRONMENTS.slice(0, 4), production: ['production-uk'] }],
      endpoints: {},
    } as unknown as Workspace
    const probes: ProbeResult[] = names.flatMap((service) =>
      ENVIRONMENTS.map((environment) => ({
        service,
        environment,
        sha: pick(),
        asOf: new Date().toISOString(),
        cached: true,
      })),
    )
    // One table serves the twenty services: they share one history here.
    const equivalence = new Equivalence(first, { repo: { fs, gitdir, cache: {} } })
    const equivalent: EquivalentFinder = (_service, sha, deployed) => equivalence.find(sha, deployed)
    const services = names.map((name, i) => ({ name, index: indexes[i] as CommitIndex }))
    const ask = (query: string, withEquivalents: boolean) =>
      whereIs({
        workspace,
        query,
        resolved: resolveQuery(query, services),
        indexOf: (name) => Promise.resolve(services.find((s) => s.name === name)?.index),
        probes,
        runs: [],
        equivalent: withEquivalents ? equivalent : () => Promise.resolve(undefined),
      })
    const queries = Array.from({ length: QUERIES }, () => pick())
    const ancestry: number[] = []
    const full: number[] = []
    for (const sha of queries) {
      ancestry.push((await timeIt(() => ask(sha.slice(0, 10), false))).ms)
      full.push((await timeIt(() => ask(sha.slice(0, 10), true))).ms)
    }
    while (await equivalence.fill(performance.now() + 1000));
    const warm: number[] = []
    for (const sha of queries) warm.push((await timeIt(() => ask(sha.slice(0, 10), true))).ms)
    // The reference: git answering the same 100 ancestry questions of one query (one process per cell, as a script would).
    const sha = queries[0] ?? ''
    const git = await timeIt(async () => {
      for (const service of names) {
        for (const env of ENVIRONMENTS) {
          const deployed = probes.find((p) => p.service === service && p.environment === env)?.sha ?? ''
          await run('git', ['-C', path, 'merge-base', '--is-ancestor', sha, deployed]).catch(() => undefined)
        }
      }
    })
    const rss = (process.memoryUsage().rss - rssBefore) / 1e6
    fs.rmSync(cacheDir, { recursive: true, force: true })
    return [
      {
        name: `where, ancestry only (p50 over ${QUERIES} queries)`,
        value: quantile(ancestry, 0.5),
        unit: 'ms',
        reference: { name: 'git merge-base --is-ancestor ×100', value: git.ms },
        goal: '< 100 ms',
      },
      { name: 'where, ancestry only (p95)', value: quantile(ancestry, 0.95), unit: 'ms', goal: '< 100 ms' },
      {
        name: 'where with cherry-pick search, first ask, table empty (p50; 1 s budget, then "not yet known")',
        value: quantile(full, 0.5),
        unit: 'ms',
        reference: { name: 'git merge-base --is-ancestor ×100', value: git.ms },
      },
      {
        name: 'where with cherry-pick search, table filled (p50)',
        value: quantile(warm, 0.5),
        unit: 'ms',
        goal: '< 100 ms',
      },
      { name: `memory for ${SERVICES} indexes of ${first.size} commits`, value: rss, unit: 'MB' },
    ]
  },
}
