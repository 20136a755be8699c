import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SHALLOW_FIRST_DEPTH } from '../src/main/core/git/clone/shallow'
import { runGit } from '../tests/support/git-repo'
import type { Bench, BenchFigure } from './harness'
import { bundle, measure, serveTransportRepo } from './processes'

/*
 * First answers early, on the transport bench's 150k-commit repository over one `git http-backend`: a first clone
 * of recent history (shallow, `SHALLOW_FIRST_DEPTH` commits of the default branch), its index and one `where` for
 * a commit 150 below the default branch's tip, in a process of its own, against `git clone --bare` of everything.
 * Then the deepen to the whole history (the next fetch), whose index must hold every commit git lists.
 * TRAINYARD_BENCH_SIZE=small runs the same on the 3k-commit repository.
 */

interface FirstAnswer {
  ms: number
  cloneMs: number
  partial: boolean
  commits: number
  answer: string
}

export const bench: Bench = {
  title: 'first answer of `where` from a shallow first clone (150k commits), vs git clone --bare of everything',
  async run(): Promise<BenchFigure[]> {
    const small = process.env.TRAINYARD_BENCH_SIZE === 'small'
    const child = await bundle('transport-child')
    const repo = await serveTransportRepo('first-answer')
    const { work, served, url } = repo
    const ours = join(work, 'ours')
    // The 200th newest commit of the default branch.
    const asked = runGit(served, ['rev-list', '--max-count=200', 'master']).trim().split('\n').at(-1) ?? ''
    try {
      const git = await measure('git', ['clone', '-q', '--bare', url, join(work, 'git.git')], work)
      // The small repository's history is a tenth as deep: so is its first clone.
      const depth = String(small ? SHALLOW_FIRST_DEPTH / 10 : SHALLOW_FIRST_DEPTH)
      const firstArgs = [child, 'first-answer', ours, url, join(work, 'a.idx'), asked, depth]
      const first = await measure(process.execPath, firstArgs, work)
      const answer = JSON.parse(first.stdout) as FirstAnswer
      if (!answer.partial || answer.answer !== 'deployed') throw new Error(`the first answer was ${first.stdout}`)
      const deepen = await measure(process.execPath, [child, 'fetch', ours, url, join(work, 'b.idx')], work)
      const deepened = JSON.parse(deepen.stdout) as { fetchMs: number; indexMs: number; commitsRead: number }
      const all = Number(runGit(served, ['rev-list', '--all', '--count']).trim())
      if (existsSync(join(ours, 'big.git', 'shallow'))) throw new Error('the deepened clone is still shallow')
      if (deepened.commitsRead !== all) throw new Error(`the index holds ${deepened.commitsRead} of ${all} commits`)
      return [
        {
          name: `first answer of where (the 200th newest commit), whole process, ${answer.commits} commits fetched`,
          value: first.ms,
          unit: 'ms',
          reference: { name: 'git clone --bare (everything)', value: git.ms },
          goal: '≤ 10 % of git',
        },
        { name: '  of which the shallow clone', value: answer.cloneMs, unit: 'ms' },
        {
          name: 'first answer, peak RSS',
          value: first.rssMb,
          unit: 'MB',
          reference: { name: 'git', value: git.rssMb },
        },
        {
          name: 'then the deepen to the whole history (whole process)',
          value: deepen.ms,
          unit: 'ms',
          reference: { name: 'git clone --bare', value: git.ms },
        },
        { name: `  of which the index build (${deepened.commitsRead} commits)`, value: deepened.indexMs, unit: 'ms' },
        { name: 'the deepen, peak RSS', value: deepen.rssMb, unit: 'MB', reference: { name: 'git', value: git.rssMb } },
        {
          name: 'shallow clone + deepen, in all',
          value: first.ms + deepen.ms,
          unit: 'ms',
          reference: { name: 'git clone --bare', value: git.ms },
        },
      ]
    } finally {
      await repo.close()
    }
  },
}
