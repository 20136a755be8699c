import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runGit } from '../tests/support/git-repo'
import { HistoryWriter, random } from './big-repo'
import type { Bench, BenchFigure } from './harness'
import { bundle, measure, serveTransportRepo } from './processes'

/*
 * The git transport at real size, each side a process of its own measured the same way (wall time from spawn to
 * exit, peak RSS from /usr/bin/time), against the same `git http-backend` on 127.0.0.1:
 *   first clone of a 150k-commit repository (a pack of ~800 MB)  vs `git clone --bare`
 *   fetch of 500 new commits (then the commit index update)      vs `git fetch`
 *   a fetch with nothing new at 13k refs                         vs `git fetch`
 * TRAINYARD_BENCH_SIZE=small runs the same on a 3k-commit repository (a quick check of the bench itself).
 */

const NEW_COMMITS = 500
const EXTRA_BRANCHES = 3_000
const EXTRA_TAGS = 10_000

const exec = promisify(execFile)

/** 3,000 branches and 10,000 tags (a fifth of them annotated) on commits of master, in one fast-import. */
function addRefs(gitdir: string): void {
  const commits = runGit(gitdir, ['rev-list', '--first-parent', 'master']).trim().split('\n')
  const pick = random(13)
  const at = (): string => commits[Math.floor(pick() * commits.length)] as string
  let stream = ''
  for (let i = 0; i < EXTRA_BRANCHES; i++) stream += `reset refs/heads/team/feature-${i}\nfrom ${at()}\n\n`
  for (let i = 0; i < EXTRA_TAGS; i++) {
    if (i % 5 === 0) {
      const message = `Build ${i}`
      stream += `tag build-${i}\nfrom ${at()}\ntagger Bench <bench@example.test> 1700000000 +0000\ndata ${message.length}\n${message}\n`
    } else stream += `reset refs/tags/deploy-${i}\nfrom ${at()}\n\n`
  }
  runGit(gitdir, ['fast-import', '--quiet', '--force'], { input: stream, env: { GIT_DIR: gitdir } })
  runGit(gitdir, ['pack-refs', '--all'])
}

export const bench: Bench = {
  title: 'git transport at real size (150k commits), each side its own process, vs the git CLI over one http-backend',
  async run(): Promise<BenchFigure[]> {
    const child = await bundle('transport-child')
    const repo = await serveTransportRepo('transport')
    const { shape, cached, work, served, url } = repo
    const ours = join(work, 'ours')
    const cacheFile = join(work, 'index.bin')
    const gitClone = join(work, 'git.git')
    const figures: BenchFigure[] = []
    const packMb = Number((await exec('du', ['-sm', join(cached, 'objects', 'pack')])).stdout.split('\t')[0])
    try {
      const git = await measure('git', ['clone', '-q', '--bare', url, gitClone], work)
      const mine = await measure(process.execPath, [child, 'clone', ours, url, cacheFile], work)
      figures.push(
        {
          name: `first clone, ${shape.commits} commits, ${packMb} MB pack (wall)`,
          value: mine.ms,
          unit: 'ms',
          reference: { name: 'git clone --bare', value: git.ms },
          goal: '≤ 1.5× git',
        },
        {
          name: 'first clone, peak RSS',
          value: mine.rssMb,
          unit: 'MB',
          reference: { name: 'git clone --bare', value: git.rssMb },
          goal: '≤ 300 MB',
        },
      )
      const built = await measure(process.execPath, [child, 'index', ours, url, cacheFile], work)
      figures.push({ name: 'commit index, cold build after the clone', value: built.ms, unit: 'ms' })

      // 500 new commits on the server, then both sides fetch them.
      const writer = new HistoryWriter({ ...shape, seed: shape.seed + 1 })
      await writer.append(served, NEW_COMMITS, {
        from: runGit(served, ['rev-parse', 'master']).trim(),
        tagPrefix: 'new',
      })
      runGit(served, ['branch', '-D', 'topic'])
      runGit(gitClone, ['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'])
      runGit(gitClone, ['config', '--add', 'remote.origin.fetch', '+refs/tags/*:refs/tags/*'])
      const gitFetch = await measure('git', ['fetch', '-q', '--prune', 'origin'], gitClone)
      const myFetch = await measure(process.execPath, [child, 'fetch', ours, url, cacheFile], work)
      const inner = JSON.parse(myFetch.stdout) as { fetchMs: number; indexMs: number; commitsRead: number }
      figures.push(
        {
          name: `fetch of ${NEW_COMMITS} new commits (whole process)`,
          value: myFetch.ms,
          unit: 'ms',
          reference: { name: 'git fetch', value: gitFetch.ms },
          goal: '≤ 1.5× git',
        },
        { name: `  of which the fetch`, value: inner.fetchMs, unit: 'ms' },
        { name: `  of which the index update (${inner.commitsRead} commits read)`, value: inner.indexMs, unit: 'ms' },
      )

      // 13k refs on the server: one fetch takes them, the next has nothing to do.
      addRefs(served)
      await measure('git', ['fetch', '-q', '--prune', 'origin'], gitClone)
      await measure(process.execPath, [child, 'fetch', ours, url, cacheFile], work)
      const refs = runGit(served, ['for-each-ref', '--format=x']).trim().split('\n').length
      const gitNoop = await measure('git', ['fetch', '-q', '--prune', 'origin'], gitClone)
      const myNoop = await measure(process.execPath, [child, 'fetch', ours, url, cacheFile], work)
      const noop = JSON.parse(myNoop.stdout) as { fetchMs: number; indexMs: number; moved: number; index: string }
      if (noop.moved !== 0) throw new Error(`the no-op fetch moved ${noop.moved} refs`)
      figures.push(
        {
          name: `fetch with nothing new, ${refs} refs (whole process, index refresh included)`,
          value: myNoop.ms,
          unit: 'ms',
          reference: { name: 'git fetch', value: gitNoop.ms },
          goal: '≤ 2× git',
        },
        { name: '  of which the fetch', value: noop.fetchMs, unit: 'ms' },
        { name: `  of which the index refresh (${noop.index})`, value: noop.indexMs, unit: 'ms' },
      )
      return figures
    } finally {
      await repo.close()
    }
  },
}
