import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { gitEnv, runGit } from '../tests/support/git-repo'
import { quantile, type Bench } from './harness'
import { measure, serveTransportRepo } from './processes'

/*
 * `trainyard where <sha>` as a user runs it, a whole process on a warm 150k-commit clone (3k with
 * TRAINYARD_BENCH_SIZE=small), against `git merge-base --is-ancestor <sha> master` on the same history, and
 * `node -e 0` (the least any Node command costs). The workspace has one environment running master, so the answer
 * is ancestry only: the cherry-pick search has nothing to look for. Runs alternate so all see the same load.
 */
const RUNS = 9
const bin = join(import.meta.dirname, '..', 'bin', 'trainyard.mjs')

function wallMs(command: string, args: string[], cwd: string, env: Record<string, string>): number {
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, { cwd, env: { ...gitEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`)
  return ms
}

export const bench: Bench = {
  title: 'trainyard where <sha>, whole process on a warm big clone, vs git merge-base --is-ancestor',
  async run() {
    buildIfNeeded()
    const repo = await serveTransportRepo('cli-where')
    try {
      const file = join(repo.work, 'where.trainyard.yaml')
      writeFileSync(
        file,
        [
          'version: 1',
          'name: Where bench',
          'services:',
          `  - { name: big, repo: "${repo.url}", defaultBranch: master }`,
          'environments:',
          '  dev: { probe: { git-ref: master } }',
          'regions:',
          '  main: { label: Main, path: [dev] }',
          'settings: { fetchIntervalMinutes: 0 }',
          '',
        ].join('\n'),
      )
      const env = { PATH: process.env.PATH ?? '', TRAINYARD_HOME: join(repo.work, 'home') }
      const fetched = await measure(process.execPath, [bin, 'fetch', '-w', file], repo.work, env)
      const asked = runGit(repo.served, ['rev-list', '--max-count=200', 'master']).trim().split('\n').at(-1) ?? ''
      const where = [bin, 'where', asked, '-w', file, '--json']
      const out = spawnSync(process.execPath, where, { env: { ...gitEnv(), ...env } }).stdout.toString()
      const answer = JSON.parse(out) as { cells?: { state: string }[] }
      if (answer.cells?.[0]?.state !== 'deployed') throw new Error(`where answered ${out}`)
      const ours: number[] = []
      const git: number[] = []
      const node: number[] = []
      for (let i = 0; i < RUNS; i++) {
        ours.push(wallMs(process.execPath, where, repo.work, env))
        git.push(wallMs('git', ['merge-base', '--is-ancestor', asked, 'master'], repo.served, env))
        node.push(wallMs(process.execPath, ['-e', '0'], repo.work, env))
      }
      return [
        {
          name: `first fetch through the CLI (${repo.shape.commits} commits, whole process)`,
          value: fetched.ms,
          unit: 'ms',
        },
        {
          name: `trainyard where <sha 200 back>, warm, median of ${RUNS}`,
          value: quantile(ours, 0.5),
          unit: 'ms',
          reference: { name: 'git merge-base --is-ancestor', value: quantile(git, 0.5) },
          goal: '≤ 2× git merge-base --is-ancestor',
        },
        {
          name: 'the same, against the least a Node process costs',
          value: quantile(ours, 0.5),
          unit: 'ms',
          reference: { name: 'node -e 0', value: quantile(node, 0.5) },
        },
      ]
    } finally {
      await repo.close()
    }
  },
}
