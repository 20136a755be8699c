import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { gitEnv, removeDir, runGit, tmpDir, TEST_AUTHOR } from '../tests/support/git-repo'
import { planCherryPicks, writeCherryPicks } from '../src/main/core/git/cherry-pick'
import { seededRandom } from '../src/shared/seeded-random'
import { quantile, timeIt } from './harness'
import type { Bench, BenchFigure } from './harness'

/*
 * A reproducible, realistic history for cherry-pick work: text files of a few hundred lines edited
 * at random places (with repeated lines such as "}" and blanks, and one Latin-1 file), files added
 * and deleted, executable bits flipped, a binary file and symlinks. Added files get fresh content
 * and fresh names so git's rename detection never fires (we do not detect renames).
 */

/** A generated repository: a worktree, its git dir and the main-line commits, oldest first. */
export interface PickHistory {
  dir: string
  gitdir: string
  commits: string[]
  /** Runs git in the worktree with the fixed test environment. */
  git(args: string[], opts?: { env?: Record<string, string> }): string
  cleanup(): void
}

interface FileState {
  kind: 'text' | 'binary' | 'link'
  lines: string[]
  exec: boolean
}

/** Builds a repository with `count` commits of random edits on one line of history. */
export function buildPickHistory(
  seed: number,
  count: number,
  opts: { linesPerFile?: number; realLines?: string[] } = {},
): PickHistory {
  const rnd = seededRandom(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const int = (n: number): number => Math.floor(rnd() * n)
  const dir = tmpDir('trainyard-picks-')
  const git = (args: string[], o: { env?: Record<string, string> } = {}): string => runGit(dir, args, o)
  git(['init', '-q'])
  const files = new Map<string, FileState>()
  let serial = 0
  const word = (): string => pick(['alpha', 'beta', 'gamma', 'delta', 'deploy', 'train', 'region', 'hotfix'])
  const real = opts.realLines
  const line = (latin1: boolean): string => {
    // With real source lines, most new lines repeat lines found elsewhere (braces, imports, blanks).
    if (real && real.length > 0 && !latin1 && rnd() < 0.8) return real[int(real.length)] as string
    const r = rnd()
    if (r < 0.08) return ''
    if (r < 0.14) return '}'
    if (r < 0.17) return '  return result'
    return `${latin1 ? 'caf\u00e9 ' : ''}line ${++serial} ${word()} ${word()}`
  }
  const lines = (n: number, latin1 = false): string[] => {
    if (real && real.length > n && !latin1 && rnd() < 0.5) {
      const at = int(real.length - n)
      return real.slice(at, at + n)
    }
    return Array.from({ length: n }, () => line(latin1))
  }
  const size = opts.linesPerFile ?? 240
  const dirs = ['', 'src/', 'src/lib/', 'docs/']
  files.set('README.md', { kind: 'text', lines: lines(size), exec: false })
  files.set('src/main.ts', { kind: 'text', lines: lines(size), exec: false })
  files.set('src/lib/util.ts', { kind: 'text', lines: lines(size), exec: false })
  files.set('docs/guide.md', { kind: 'text', lines: lines(size), exec: false })
  files.set('scripts/run.sh', { kind: 'text', lines: lines(60), exec: true })
  files.set('latin1.txt', { kind: 'text', lines: lines(120, true), exec: false })
  files.set('caf\u00e9.txt', { kind: 'text', lines: lines(80, true), exec: false })
  files.set('assets/logo.bin', { kind: 'binary', lines: lines(40), exec: false })
  files.set('link-to-readme', { kind: 'link', lines: ['README.md'], exec: false })

  const editText = (f: FileState): void => {
    for (let e = 1 + int(3); e > 0; e--) {
      // Half the edits land near the middle of the file, so changes often touch or overlap.
      const near = Math.floor(f.lines.length / 2) + int(9) - 4
      const at = rnd() < 0.5 ? Math.max(0, Math.min(f.lines.length, near)) : int(f.lines.length + 1)
      const r = rnd()
      if (r < 0.4) f.lines.splice(at, 1 + int(3), ...lines(1 + int(3), rnd() < 0.3))
      else if (r < 0.7) f.lines.splice(at, 0, ...lines(1 + int(4)))
      else f.lines.splice(at, 1 + int(4))
    }
  }
  const step = (): string => {
    const r = rnd()
    const paths = [...files.keys()]
    const texts = paths.filter((p) => files.get(p)?.kind === 'text')
    if (r < 0.07) {
      const path = `${pick(dirs)}new-${++serial}.txt`
      files.set(path, { kind: 'text', lines: lines(50 + int(150)), exec: rnd() < 0.2 })
      return `Add ${path}`
    }
    if (r < 0.11 && texts.length > 6) {
      const path = pick(texts.filter((p) => p.includes('new-')).concat(['docs/guide.md']))
      files.delete(path)
      return `Remove ${path}`
    }
    if (r < 0.17) {
      const f = files.get(pick(texts))
      if (f) f.exec = !f.exec
      return 'Flip the executable bit'
    }
    if (r < 0.22) {
      const f = files.get('assets/logo.bin')
      if (f) f.lines.splice(int(f.lines.length), 1, line(false))
      return 'Update the logo'
    }
    if (r < 0.24) {
      files.set(`link-${++serial}`, { kind: 'link', lines: [pick(texts)], exec: false })
      return 'Add a link'
    }
    const path = pick(texts)
    const f = files.get(path)
    if (f) editText(f)
    return `Edit ${path}`
  }
  const flush = (): void => {
    const root = Buffer.from(`${dir}/`)
    for (const entry of fs.readdirSync(root, { encoding: 'buffer' })) {
      if (entry.toString('latin1') !== '.git') fs.rmSync(Buffer.concat([root, entry]), { recursive: true, force: true })
    }
    for (const [path, f] of files) {
      const full = Buffer.from(join(dir, path), 'latin1')
      fs.mkdirSync(join(dir, path, '..'), { recursive: true })
      if (f.kind === 'link') fs.symlinkSync(f.lines[0] ?? 'x', full)
      else {
        const text = f.lines.join('\n') + '\n'
        const data = Buffer.from(f.kind === 'binary' ? `\0PNG\0${text}` : text, 'latin1')
        fs.writeFileSync(full, data, { mode: f.exec ? 0o755 : 0o644 })
        fs.chmodSync(full, f.exec ? 0o755 : 0o644)
      }
    }
  }
  const messages = [
    '',
    '\n\nWhy: the train needs it.',
    '\n\nSigned-off-by: Dev <dev@example.test>',
    '\n\nA body.\nRefs: TRAIN-42',
    '\n\nFirst paragraph.\n\nSecond paragraph with a colon: here',
  ]
  const commits: string[] = []
  for (let i = 0; i < count; i++) {
    const subject = i === 0 ? 'Initial import' : [step(), ...(rnd() < 0.3 ? [step()] : [])].join(', ')
    flush()
    git(['add', '-A', '.'])
    const author = { name: `Dev ${i % 3}`, email: `dev${i % 3}@example.test` }
    git(['commit', '-q', '--allow-empty', '-m', subject + pick(messages)], {
      env: gitEnv(1_704_067_200 + i * 60, author),
    })
    commits.push(git(['rev-parse', 'HEAD']).trim())
  }
  return { dir, gitdir: join(dir, '.git'), commits, git, cleanup: () => removeDir(dir) }
}

/**
 * Picks `picks` onto `onto` both ways, ours in memory and `git cherry-pick -x [-m mainline]` in the worktree, and
 * says how git fared and, when the two differ (commit SHA, or where and why they stopped), how.
 */
export async function pickAgainstGit(
  h: PickHistory,
  cache: object,
  onto: string,
  picks: string[],
  time: number,
  mainline?: number,
): Promise<{ outcome: 'clean' | 'conflict' | 'empty'; mismatch?: string }> {
  const plan = await planCherryPicks({
    fs,
    gitdir: h.gitdir,
    cache,
    onto,
    commits: picks,
    ...(mainline === undefined ? {} : { mainline }),
  })
  const git = gitCherryPick(h, onto, picks, time, mainline === undefined ? [] : ['-m', String(mainline)])
  const label = `onto ${onto.slice(0, 8)} pick ${picks.map((p) => p.slice(0, 8)).join(' ')}`
  if (git.ok) {
    if (!plan.ok)
      return {
        outcome: 'clean',
        mismatch: `${label}: git picked cleanly, we reported ${JSON.stringify(plan.conflicts)}`,
      }
    const committer = { name: TEST_AUTHOR.name, email: TEST_AUTHOR.email, timestamp: time, timezoneOffset: 0 }
    const sha = await writeCherryPicks(plan, { committer })
    return sha === git.sha
      ? { outcome: 'clean' }
      : { outcome: 'clean', mismatch: `${label}: git made ${git.sha}, we made ${sha}` }
  }
  const outcome = git.empty ? 'empty' : 'conflict'
  const first = plan.ok ? undefined : plan.conflicts[0]
  const ours = first && {
    commit: first.commit,
    empty: first.reason === 'empty',
    paths: first.paths.map((p) => p.path).sort(),
  }
  const theirs = { commit: git.stoppedAt, empty: git.empty, paths: [...git.unmerged].sort() }
  return JSON.stringify(ours) === JSON.stringify(theirs)
    ? { outcome }
    : { outcome, mismatch: `${label}: git ${JSON.stringify(theirs)}, we ${JSON.stringify(ours)}` }
}

/** The outcome of `git cherry-pick -x [options]` of `picks` onto `onto` in the history's worktree. */
export function gitCherryPick(
  h: PickHistory,
  onto: string,
  picks: string[],
  time: number,
  options: string[] = [],
): { ok: true; sha: string } | { ok: false; stoppedAt: string; unmerged: string[]; empty: boolean } {
  h.git(['checkout', '-q', '--detach', '-f', onto])
  try {
    h.git(['cherry-pick', '-x', ...options, ...picks], { env: gitEnv(time) })
    return { ok: true, sha: h.git(['rev-parse', 'HEAD']).trim() }
  } catch {
    const stoppedAt = fs.readFileSync(join(h.gitdir, 'CHERRY_PICK_HEAD'), 'utf8').trim()
    const raw = execFileSync('git', ['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: h.dir, env: gitEnv(time) })
    const unmerged = raw
      .toString('utf8')
      .split('\0')
      .filter((p) => p !== '')
    const empty = unmerged.length === 0
    h.git(['cherry-pick', '--abort'])
    return { ok: false, stoppedAt, unmerged, empty }
  }
}

const COMMITTER = { name: TEST_AUTHOR.name, email: TEST_AUTHOR.email, timestamp: 1_800_000_000, timezoneOffset: 0 }

/** Lines of real source code from an installed dependency, for histories that look like real ones. */
export function realSourceLines(): string[] {
  const file = join(import.meta.dirname, '..', 'node_modules', 'isomorphic-git', 'index.js')
  return fs.readFileSync(file, 'utf8').split('\n').slice(0, 12_000)
}

async function ourPick(h: PickHistory, cache: object, onto: string, picks: string[]): Promise<void> {
  const plan = await planCherryPicks({ fs, gitdir: h.gitdir, cache, onto, commits: picks })
  if (plan.ok) await writeCherryPicks(plan, { committer: COMMITTER })
}

async function gitPick(h: PickHistory, onto: string, picks: string[]): Promise<number> {
  h.git(['checkout', '-q', '--detach', '-f', onto])
  const { ms } = await timeIt(() => {
    try {
      h.git(['cherry-pick', '-x', ...picks], { env: gitEnv(COMMITTER.timestamp) })
    } catch {
      // A conflict or an empty pick: git's time to find out is the reference.
    }
  })
  if (fs.existsSync(join(h.gitdir, 'CHERRY_PICK_HEAD'))) h.git(['cherry-pick', '--abort'])
  return ms
}

async function sweep(): Promise<BenchFigure[]> {
  const h = buildPickHistory(4242, 80, { realLines: realSourceLines(), linesPerFile: 400 })
  const cache = {}
  const rnd = seededRandom(99)
  const ratios: number[] = []
  const ours: number[] = []
  const theirs: number[] = []
  try {
    for (let k = 0; k < 200; k++) {
      const i = 1 + Math.floor(rnd() * (h.commits.length - 2))
      const j = i + 1 + Math.floor(rnd() * (h.commits.length - i - 1))
      const onto = h.commits[i] as string
      const picks = [h.commits[j] as string]
      // Best of three for both sides (best of eight for an apparent outlier): on a busy 2-core
      // machine single runs mostly measure the scheduler and the garbage collector.
      let reference = Infinity
      let ms = Infinity
      for (let run = 0; run < 8 && (run < 3 || ms > 2 * reference); run++) {
        reference = Math.min(reference, await gitPick(h, onto, picks))
        ms = Math.min(ms, (await timeIt(() => ourPick(h, cache, onto, picks))).ms)
      }
      ours.push(ms)
      theirs.push(reference)
      ratios.push(ms / reference)
    }
  } finally {
    h.cleanup()
  }
  return [
    {
      name: 'pick (best of 3), median of 200',
      value: quantile(ours, 0.5),
      unit: 'ms',
      reference: { name: 'git cherry-pick', value: quantile(theirs, 0.5) },
      goal: '≤ 2× git',
    },
    {
      name: 'pick, slowest of 200',
      value: Math.max(...ours),
      unit: 'ms',
      reference: { name: 'git cherry-pick slowest', value: Math.max(...theirs) },
    },
    { name: 'per-pick ratio to git, median', value: quantile(ratios, 0.5), unit: 'count', goal: '≤ 2' },
    { name: 'first pick (cold: JIT, empty cache), ratio to git', value: ratios[0] ?? Number.NaN, unit: 'count' },
    {
      name: 'per-pick ratio to git, worst of the other 199',
      value: Math.max(...ratios.slice(1)),
      unit: 'count',
      goal: '≤ 2',
    },
    { name: 'picks over 2× git', value: ratios.filter((r) => r > 2).length, unit: 'count', goal: '0' },
  ]
}

async function changelog(): Promise<BenchFigure[]> {
  const dir = tmpDir('trainyard-changelog-')
  const git = (args: string[], time = 1_704_067_200): string => runGit(dir, args, { env: gitEnv(time) }).trim()
  const entries = (from: number, n: number): string =>
    Array.from({ length: n }, (_, k) => `- ${from + k}: Fixed a thing in the train planner (#${from + k})\n`).join('')
  const write = (text: string): void => fs.writeFileSync(join(dir, 'CHANGELOG.md'), text)
  try {
    git(['init', '-q'])
    const body = entries(0, 5000)
    write(`# Changelog\n\n${body}`)
    git(['add', '-A'])
    git(['commit', '-q', '-m', 'Changelog'])
    const base = git(['rev-parse', 'HEAD'])
    write(`# Changelog\n\n${entries(9000, 20)}${body}`)
    git(['commit', '-q', '-am', 'Release notes at the top'], 1_704_067_260)
    const picked = git(['rev-parse', 'HEAD'])
    git(['checkout', '-q', '-b', 'release', base])
    write(`# Changelog\n\n${body.replace('- 4990:', '- 4990 (backport):')}`)
    git(['commit', '-q', '-am', 'Old entry fixed'], 1_704_067_320)
    const onto = git(['rev-parse', 'HEAD'])
    const h: PickHistory = {
      dir,
      gitdir: join(dir, '.git'),
      commits: [],
      git: (a, o) => runGit(dir, a, o),
      cleanup: () => removeDir(dir),
    }
    const reference = await gitPick(h, onto, [picked])
    // A fresh cache: the first pick in a session pays for reading everything.
    const { ms } = await timeIt(() => ourPick(h, {}, onto, [picked]))
    return [
      {
        name: '5,000-line CHANGELOG pick',
        value: ms,
        unit: 'ms',
        reference: { name: 'git cherry-pick', value: reference },
        goal: '< 1000 ms',
      },
    ]
  } finally {
    removeDir(dir)
  }
}

/** Cherry-pick speed: 200 real-looking picks and a big CHANGELOG, each against git in the same run. */
export const bench: Bench = {
  title: 'cherry-pick: in-memory picks vs git cherry-pick in a worktree',
  async run() {
    return [...(await sweep()), ...(await changelog())]
  },
}
