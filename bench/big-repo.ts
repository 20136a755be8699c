import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { gitEnv, runGit } from '../tests/support/git-repo'

/*
 * Big generated repositories for the transport benches, made once with `git fast-import` into a cache dir
 * outside the worktree ($TRAINYARD_BENCH_CACHE, else ~/.cache/trainyard-bench) and reused across runs.
 * The history looks like a team's: pull requests of a few commits merged into master, each commit changing a
 * few files of a tree of thousands, release tags along the way.
 */

/** The cache dir of the bench repositories. */
export function benchCache(): string {
  const dir = process.env.TRAINYARD_BENCH_CACHE ?? join(homedir(), '.cache', 'trainyard-bench')
  mkdirSync(dir, { recursive: true })
  return dir
}

/** A deterministic pseudo-random source (xorshift32). */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const LINES = 48

/** Shape of a generated history. */
export interface HistoryShape {
  commits: number
  /** Directories × subdirectories × files per subdirectory. */
  tree: [number, number, number]
  filesPerCommit: number
  /** Lines (of 48, 60 random characters each) a change rewrites in a file. */
  linesPerChange: number
  seed: number
  /** A lightweight tag every this many commits, an annotated one every 4×. */
  tagEvery: number
}

/** The transport benches' repository: 150k commits over 4,000 files (an ~800 MB pack). */
export const TRANSPORT_FULL: HistoryShape = {
  commits: 150_000,
  tree: [40, 10, 10],
  filesPerCommit: 3,
  linesPerChange: 10,
  seed: 150,
  tagEvery: 500,
}

/** TRAINYARD_BENCH_SIZE=small: the same shape at 3k commits (a quick check of a bench itself). */
export const TRANSPORT_SMALL: HistoryShape = { ...TRANSPORT_FULL, commits: 3_000, seed: 3, tagEvery: 200 }

/** Writes a fast-import stream for `shape` into a git repository; fast-import packs the objects itself. */
export class HistoryWriter {
  private readonly rand: () => number
  private readonly files: string[] = []
  private readonly contents = new Map<string, string[]>()
  private mark = 0
  // A mark (`:n`) or a SHA.
  private masterTip = ''

  private time = 1_600_000_000
  private written = 0

  constructor(private readonly shape: HistoryShape) {
    this.rand = random(shape.seed)
    const [dirs, subs, per] = shape.tree
    for (let d = 0; d < dirs; d++)
      for (let s = 0; s < subs; s++) for (let f = 0; f < per; f++) this.files.push(`src/mod${d}/part${s}/file${f}.txt`)
  }

  /**
   * Streams `count` more commits (pull requests of 1–4 commits, each merged) into the repository at `gitdir`,
   * starting from master's commit `from` when given (files it touches then get new content).
   */
  async append(gitdir: string, count: number, opts: { from?: string; tagPrefix?: string } = {}): Promise<void> {
    if (opts.from !== undefined) this.masterTip = opts.from
    const tagPrefix = opts.tagPrefix ?? 'v'
    const child = spawn('git', ['fast-import', '--quiet', '--force', '--done'], {
      cwd: gitdir,
      env: { ...gitEnv(), GIT_DIR: gitdir },
      stdio: ['pipe', 'inherit', 'inherit'],
    })
    const done = new Promise<void>((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))),
    )
    const write = async (text: string): Promise<void> => {
      if (!child.stdin.write(text)) await new Promise<void>((resolve) => child.stdin.once('drain', resolve))
    }
    const target = this.written + count
    while (this.written < target) {
      const size = Math.min(target - this.written - 1, 1 + Math.floor(this.rand() * 4))
      let tip = this.masterTip
      const changed = new Set<string>()
      for (let k = 0; k < size; k++) {
        const files = this.touch(changed)
        tip = await this.commit(write, 'refs/heads/topic', tip, undefined, `Change ${this.mark + 1}`, files)
      }
      const merged = size > 0 ? tip : undefined
      const files = size > 0 ? [...changed] : this.touch(changed)
      this.masterTip = await this.commit(
        write,
        'refs/heads/master',
        this.masterTip,
        merged,
        size > 0 ? `Merge pull request #${this.mark + 1} from topic` : `Direct change ${this.mark + 1}`,
        files,
      )
      if (this.written % this.shape.tagEvery < size + 1) {
        const name = `${tagPrefix}${this.written}`
        if (this.written % (this.shape.tagEvery * 4) < size + 1)
          await write(
            `tag ${name}\nfrom ${this.masterTip}\ntagger Bench <bench@example.test> ${this.time} +0000\ndata ${name.length}\n${name}\n`,
          )
        else await write(`reset refs/tags/${name}\nfrom ${this.masterTip}\n\n`)
      }
    }
    await write('done\n')
    child.stdin.end()
    await done
  }

  private touch(changed: Set<string>): string[] {
    const files: string[] = []
    for (let k = 0; k < this.shape.filesPerCommit; k++) {
      const file = this.files[Math.floor(this.rand() * this.files.length)] as string
      const lines = this.contents.get(file) ?? Array.from({ length: LINES }, () => this.line())
      const at = Math.floor(this.rand() * (LINES - this.shape.linesPerChange))
      for (let r = 0; r < this.shape.linesPerChange; r++) lines[at + r] = this.line()
      this.contents.set(file, lines)
      files.push(file)
      changed.add(file)
    }
    return files
  }

  private line(): string {
    let out = ''
    for (let i = 0; i < 60; i++) out += BASE64[Math.floor(this.rand() * 64)]
    return out
  }

  private async commit(
    write: (text: string) => Promise<void>,
    ref: string,
    parent: string,
    merge: string | undefined,
    message: string,
    files: string[],
  ): Promise<string> {
    const mark = ++this.mark
    this.written++
    this.time += 60 + Math.floor(this.rand() * 600)
    const who = `Dev ${mark % 40} <dev${mark % 40}@example.test> ${this.time} +0000`
    let text = `commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(message)}\n${message}\n`
    if (parent !== '') text += `from ${parent}\n`
    if (merge !== undefined) text += `merge ${merge}\n`
    for (const file of files) {
      const body = `${(this.contents.get(file) as string[]).join('\n')}\n`
      text += `M 100644 inline ${file}\ndata ${Buffer.byteLength(body)}\n${body}\n`
    }
    await write(`${text}\n`)
    return `:${mark}`
  }
}

/**
 * A bare repository with `shape`'s history under the bench cache, generated on first use (fast-import, then one
 * `git repack -ad` so the pack has git's own deltas) and reused afterwards.
 */
export async function generatedRepo(name: string, shape: HistoryShape): Promise<string> {
  const gitdir = join(benchCache(), `${name}.git`)
  if (existsSync(join(gitdir, 'bench-ready'))) return gitdir
  rmSync(gitdir, { recursive: true, force: true })
  runGit(benchCache(), ['init', '-q', '--bare', gitdir])
  const writer = new HistoryWriter(shape)
  await writer.append(gitdir, shape.commits)
  runGit(gitdir, ['symbolic-ref', 'HEAD', 'refs/heads/master'])
  runGit(gitdir, ['branch', '-D', 'topic'])
  runGit(gitdir, ['repack', '-adq', '--window=10', '--depth=50'])
  runGit(gitdir, ['pack-refs', '--all'])
  writeFileSync(join(gitdir, 'bench-ready'), '')
  return gitdir
}
