import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCommitIndex } from '../src/main/core/git/commit-index-open'
import { Equivalence } from '../src/main/core/git/equivalence/equivalence'
import { buildBackportHistory } from '../tests/integration/git/backport-history'
import { BASE_TIME, gitEnv, wrapRepo } from '../tests/support/git-repo'
import { quantile, timeIt, type Bench, type BenchFigure } from './harness'

// A long master (TRAINYARD_BENCH_EQ_COMMITS, default 20,000) with a lockfile-like file changed every 40th commit,
// and a stable branch whose 24 backports' originals lie near master's root. Generated once, kept in the temp dir.
const COMMITS = Number(process.env.TRAINYARD_BENCH_EQ_COMMITS ?? 20_000)
const VERSION = 1
const PINNED = ['--full-index', '--no-renames', '--histogram', '--no-indent-heuristic']

interface Repo {
  path: string
  backports: [string, string][]
}

function benchRepo(): Repo {
  const path = join(tmpdir(), `trainyard-bench-equivalence-${COMMITS}-v${VERSION}`)
  const ready = join(path, '.git', 'bench-ready.json')
  if (fs.existsSync(ready)) return JSON.parse(fs.readFileSync(ready, 'utf8')) as Repo
  fs.rmSync(path, { recursive: true, force: true })
  const h = buildBackportHistory({ dir: path, masterCommits: COMMITS, bigFile: { lines: 20_000, every: 40 } })
  h.repo.git('repack', '-adq')
  const repo: Repo = { path, backports: [...h.backports].map(([b, { original }]) => [b, original]) }
  fs.writeFileSync(ready, JSON.stringify(repo))
  return repo
}

const git = (cwd: string, args: string[], input?: Buffer | string): Buffer =>
  execFileSync('git', args, { cwd, env: gitEnv(), maxBuffer: 1 << 30, ...(input !== undefined ? { input } : {}) })

/** git's patch-ids of `revs` under the pinned definition, the way a script would get them. */
function gitPatchIds(cwd: string, revs: string[]): number {
  const patches = git(cwd, ['log', '-p', ...PINNED, '--format=commit %H', ...revs])
  return git(cwd, ['patch-id', '--stable'], patches).toString().split('\n').filter(Boolean).length
}

async function fillAll(table: Equivalence): Promise<void> {
  while (await table.fill(performance.now() + 1000));
}

/** Building the equivalence table vs git computing the same patch-ids; where for backports 5k+ back vs git cherry. */
export const bench: Bench = {
  title: `equivalence over ${Math.round(COMMITS / 1000)}k commits (patch-ids, trailers), where for old backports`,
  async run(): Promise<BenchFigure[]> {
    const { path, backports } = benchRepo()
    const gitdir = join(path, '.git')
    const scratch = fs.mkdtempSync(join(tmpdir(), 'trainyard-bench-equivalence-'))
    try {
      const index = await openCommitIndex({ gitdir, cacheFile: join(scratch, 'index.idx') })
      const file = { path: join(scratch, 'table.eqi'), key: gitdir }
      const gitBuild = await timeIt(() => gitPatchIds(path, ['--all']))
      const table = new Equivalence(index, { repo: { fs, gitdir, cache: {} }, file })
      const build = await timeIt(() => fillAll(table))
      let patchIds = 0
      for (let pos = 0; pos < index.size; pos++) if (table.known(index.shaAt(pos)) === 'patch-id') patchIds++
      table.save()
      const load = await timeIt(() => new Equivalence(index, { repo: { fs, gitdir, cache: {} }, file }))
      const fileMb = fs.statSync(file.path).size / 1e6

      // "Where" for each backport with master's tip deployed: the original lies near master's root.
      const master = index.refs.get('refs/heads/master') ?? ''
      const distance = Math.min(...backports.map(([b, o]) => index.range(b, master).indexOf(o)))
      const asks: number[] = []
      let found = 0
      for (const [backport, original] of backports) {
        const { ms, result } = await timeIt(() => table.find(backport, master))
        asks.push(ms)
        if (result !== undefined && 'sha' in result && result.sha === original) found++
      }
      const cherry = await timeIt(() =>
        git(path, ['-c', 'diff.algorithm=histogram', '-c', 'diff.indentHeuristic=false', 'cherry', 'master', 'stable']),
      )
      const cold = new Equivalence(index, { repo: { fs, gitdir, cache: {} } })
      let coldKnown = 0
      const coldAsk = await timeIt(async () => {
        for (const [backport] of backports) {
          const answer = await cold.find(backport, master, 0)
          if (answer === undefined || !('pending' in answer)) coldKnown++
        }
      })

      // After a fetch of 400 new master commits: only theirs are computed.
      const fetched = join(scratch, 'fetched.git')
      git(scratch, ['clone', '-q', '--bare', '--shared', path, fetched])
      const more = wrapRepo(fetched, true)
      const newCommits = more.fastImport(
        Array.from({ length: 400 }, (_, i) => ({
          ref: 'refs/heads/master',
          parents: i === 0 ? [master] : [i - 1],
          message: `New commit ${i}\n`,
          time: BASE_TIME + 60 * (COMMITS + 1 + i),
          files: { [`new/file-${i % 40}.txt`]: `version ${i}\n` },
        })),
      )
      const reopened = await openCommitIndex({ gitdir: fetched, cacheFile: join(scratch, 'index.idx') })
      const moved = new Equivalence(index, { repo: { fs, gitdir: fetched, cache: {} }, file })
      const update = await timeIt(async () => {
        moved.update(reopened)
        await fillAll(moved)
      })
      const gitUpdate = await timeIt(() => gitPatchIds(fetched, [`${master}..${newCommits.at(-1) ?? ''}`]))
      const k = `${Math.round(index.size / 1000)}k`
      return [
        {
          name: `equivalence table from scratch, ${k} commits (header ids of all, patch-ids where they collide)`,
          value: build.ms,
          unit: 'ms',
          reference: { name: 'git log -p (pinned diff) | git patch-id --stable, all commits', value: gitBuild.ms },
          goal: '≤ 3× git (it runs once per clone, in the background)',
        },
        {
          name: 'patch-ids git computed for the reference (every non-merge commit)',
          value: gitBuild.result,
          unit: 'count',
        },
        { name: 'patch-ids the table computed (header ids collide)', value: patchIds, unit: 'count' },
        { name: 'table loaded from its file', value: load.ms, unit: 'ms' },
        {
          name: 'table updated after a fetch of 400 commits',
          value: update.ms,
          unit: 'ms',
          reference: { name: 'git patch-id of the 400 new commits', value: gitUpdate.ms },
        },
        {
          name: `where for a backport whose original is ${distance}+ commits back (p50 of ${backports.length}, table filled)`,
          value: quantile(asks, 0.5),
          unit: 'ms',
          reference: { name: `git cherry master stable (all ${backports.length} at once)`, value: cherry.ms },
        },
        { name: 'backports found', value: found, unit: 'count', goal: `${backports.length} of ${backports.length}` },
        {
          name: 'cold table, no budget: answers given at once (the rest say "not yet known")',
          value: coldKnown,
          unit: 'count',
        },
        { name: 'cold table, no budget: time for all asks', value: coldAsk.ms, unit: 'ms' },
        { name: 'table file', value: fileMb, unit: 'MB' },
      ]
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true })
    }
  },
}
