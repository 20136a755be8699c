import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/*
 * Real git repositories for tests, built with the git CLI so SHAs repeat from run to run:
 * every commit gets a fixed author/committer and a date from a per-repo clock that starts at
 * 2024-01-01T00:00:00Z and advances one minute per commit (unless a date is given). The user's
 * global and system git config are ignored, so nothing on the machine changes the result.
 */

/** Unix seconds of the first commit a test repo makes: 2024-01-01T00:00:00Z. */
export const BASE_TIME = 1_704_067_200

/** The identity every test commit uses unless told otherwise. */
export const TEST_AUTHOR = { name: 'Test Author', email: 'author@example.test' } as const

/** Options for one commit (or merge, cherry-pick, annotated tag). */
export interface CommitOptions {
  /** Author and committer; defaults to TEST_AUTHOR. */
  author?: { name: string; email: string }
  /** Unix seconds; defaults to the repo clock's next tick. */
  date?: number
  /** Commit even when nothing changed (default: true when `files` is empty). */
  allowEmpty?: boolean
}

/** One commit for `fastImport`; parents are indices into the same list (earlier entries only). */
export interface ImportCommit {
  /** Ref the commit is written on, e.g. `refs/heads/main`; the last commit written to it stays its tip. */
  ref: string
  /** Earlier entries by index, or full SHAs of commits already in the repository (from an earlier import). */
  parents: (number | string)[]
  message: string
  /** Unix seconds, for both author and committer. */
  time: number
  author?: { name: string; email: string }
  /** Files changed relative to the first parent (or an empty tree), path → content. */
  files?: Record<string, string>
}

/** A ref for `fastImport` pointing at commit `commit` (an index); `tagMessage` makes an annotated tag. */
export interface ImportRef {
  ref: string
  commit: number
  tagMessage?: string
}

/** A repository on disk plus typed shortcuts for the git commands tests use. */
export interface TestRepo {
  /** Working tree (or the repository itself when bare). */
  readonly path: string
  /** The `.git` directory (equal to `path` when bare). */
  readonly gitdir: string
  /** Runs git in the repo with the fixed environment and returns stdout without the trailing newline. */
  git(...args: string[]): string
  /** Like `git` but with stdin input and extra environment; returns stdout untrimmed. */
  gitWith(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> }): string
  /** Like `git` but asynchronous, so independent oracle queries can run side by side. */
  gitAsync(...args: string[]): Promise<string>
  /**
   * Writes many commits at once through `git fast-import` (one process: thousands of commits a
   * second); returns the new commits' SHAs in the order given. Refs are updated at the end.
   */
  fastImport(commits: ImportCommit[], refs?: ImportRef[]): string[]
  /** Writes (string) or deletes (null) files, stages everything and commits; returns the new SHA. */
  commit(message: string, files?: Record<string, string | null>, opts?: CommitOptions): string
  /** Creates branch `name` at `at` (default HEAD) without switching to it. */
  branch(name: string, at?: string): void
  /** Switches to a branch or detaches at a commit. */
  checkout(ref: string): void
  /**
   * Merges `ref` (several make an octopus) into the current branch with a merge commit (`--no-ff`,
   * unrelated histories allowed); returns the new HEAD SHA (unchanged when already up to date).
   */
  merge(ref: string | string[], message?: string, opts?: CommitOptions): string
  /** Makes a new root commit (empty tree, no parents) and points branch `name` at it; returns its SHA. */
  root(name: string, message: string, opts?: CommitOptions): string
  /** Cherry-picks `sha` onto the current branch (`-x` adds the trailer); returns the new SHA. */
  cherryPick(sha: string, opts?: CommitOptions & { trailer?: boolean }): string
  /** Tags `at` (default HEAD): lightweight, or annotated when `message` is given. */
  tag(name: string, opts?: { at?: string; message?: string; date?: number }): void
  /** The full SHA a revision names (`git rev-parse --verify <rev>^{commit}` for commits). */
  revParse(rev: string): string
  /** The full SHA of HEAD. */
  head(): string
  /** Unix seconds the next commit will get from the clock (read-only peek). */
  readonly nextTime: number
  /** Removes the repository directory. */
  cleanup(): void
}

/** A fresh empty directory under the OS temp dir; the caller removes it (see `removeDir`). */
export function tmpDir(prefix = 'trainyard-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.add(dir)
  return dir
}

const made = new Set<string>()

/** Removes every dir `tmpDir` made in this test file (the setup file calls it after the file's tests). */
export function removeTmpDirs(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
    } catch {
      // A child process may still hold a file there; the OS's temp cleanup takes what is left.
    }
  }
  made.clear()
}

/** Incompressible but repeatable text of at least `bytes` characters, so a pack is big enough to cut midway. */
export function noise(seed: string, bytes: number): string {
  let out = ''
  for (let i = 0; out.length < bytes; i++) out += createHash('sha256').update(`${seed}:${i}`).digest('base64')
  return out
}

/** Removes a directory tree, ignoring one that is already gone. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** The environment every test git command runs with: no user config, fixed identity, no pager or prompts. */
export function gitEnv(
  time: number = BASE_TIME,
  author: { name: string; email: string } = TEST_AUTHOR,
): Record<string, string> {
  const date = `${time} +0000`
  return {
    PATH: process.env.PATH ?? '',
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  }
}

/** Config passed with `-c` on every command so results never depend on the machine. */
const FIXED_CONFIG = [
  '-c',
  'init.defaultBranch=master',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'tag.gpgsign=false',
  '-c',
  'core.autocrlf=false',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  '-c',
  'advice.detachedHead=false',
]

/** Runs git in `cwd` with the fixed environment; returns raw stdout. Throws with git's stderr on failure. */
export function runGit(
  cwd: string,
  args: string[],
  opts: { input?: string | Buffer; env?: Record<string, string> } = {},
): string {
  return execFileSync('git', [...FIXED_CONFIG, ...args], {
    cwd,
    env: { ...gitEnv(), ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** Runs git in `cwd` like `runGit`, without blocking; resolves to raw stdout. */
export function runGitAsync(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...FIXED_CONFIG, ...args],
      { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
      (error: Error | null, stdout: string) => {
        if (error) reject(error)
        else resolve(stdout)
      },
    )
  })
}

/** The `git fast-import` stream for `commits` (marks are 1-based indices) and `refs`. */
export function fastImportStream(commits: ImportCommit[], refs: ImportRef[] = []): Buffer {
  const parts: Buffer[] = []
  const text = (s: string): void => {
    parts.push(Buffer.from(s, 'utf8'))
  }
  const data = (s: string): void => {
    const bytes = Buffer.from(s, 'utf8')
    text(`data ${bytes.length}\n`)
    parts.push(bytes)
    text('\n')
  }
  commits.forEach((c, i) => {
    const who = c.author ?? TEST_AUTHOR
    const sig = `${who.name} <${who.email}> ${c.time} +0000`
    // `reset` first so a root commit does not inherit the ref's previous tip as its parent.
    if (c.parents.length === 0) text(`reset ${c.ref}\n`)
    text(`commit ${c.ref}\nmark :${i + 1}\nauthor ${sig}\ncommitter ${sig}\n`)
    data(c.message)
    c.parents.forEach((p, k) => text(`${k === 0 ? 'from' : 'merge'} ${typeof p === 'number' ? `:${p + 1}` : p}\n`))
    for (const [file, content] of Object.entries(c.files ?? {})) {
      text(`M 100644 inline ${file}\n`)
      data(content)
    }
    text('\n')
  })
  for (const r of refs) {
    if (r.tagMessage === undefined) text(`reset ${r.ref}\nfrom :${r.commit + 1}\n\n`)
    else {
      const time = commits[r.commit]?.time ?? BASE_TIME
      text(`tag ${r.ref.replace(/^refs\/tags\//, '')}\nfrom :${r.commit + 1}\n`)
      text(`tagger ${TEST_AUTHOR.name} <${TEST_AUTHOR.email}> ${time} +0000\n`)
      data(r.tagMessage)
    }
  }
  return Buffer.concat(parts)
}

/**
 * Creates a repository with `git init` (in `dir`, or a new temp dir) and returns its helpers.
 * `bare: true` makes a bare repository (no worktree helpers beyond `git`, `tag`, `branch`).
 */
export function createRepo(opts: { dir?: string; bare?: boolean } = {}): TestRepo {
  const path = opts.dir ?? tmpDir()
  mkdirSync(path, { recursive: true })
  runGit(path, opts.bare ? ['init', '-q', '--bare'] : ['init', '-q'])
  return wrapRepo(path, opts.bare === true)
}

/** Clones `source` (a path) into `dir` (or a new temp dir) and returns its helpers. */
export function cloneRepo(source: string, opts: { dir?: string; bare?: boolean } = {}): TestRepo {
  const path = opts.dir ?? tmpDir()
  runGit(tmpdir(), ['clone', '-q', ...(opts.bare ? ['--bare'] : []), source, path])
  return wrapRepo(path, opts.bare === true)
}

/** Helpers for an existing repository at `path`. */
export function wrapRepo(path: string, bare = false): TestRepo {
  let clock = BASE_TIME
  const tick = (date?: number): number => {
    if (date !== undefined) return date
    const t = clock
    clock += 60
    return t
  }
  const envFor = (o?: CommitOptions): Record<string, string> => gitEnv(tick(o?.date), o?.author ?? TEST_AUTHOR)
  const git = (...args: string[]): string => runGit(path, args).replace(/\n$/, '')
  const head = (): string => git('rev-parse', 'HEAD')

  return {
    path,
    gitdir: bare ? path : join(path, '.git'),
    git,
    gitWith: (args, o) => runGit(path, args, o),
    gitAsync: (...args) => runGitAsync(path, args).then((out) => out.replace(/\n$/, '')),
    fastImport(commits, refs = []) {
      const marksFile = join(tmpdir(), `trainyard-marks-${process.pid}-${Date.now()}-${Math.random()}`)
      try {
        runGit(path, ['fast-import', '--quiet', '--force', `--export-marks=${marksFile}`], {
          input: fastImportStream(commits, refs),
        })
        const shas: string[] = []
        for (const line of readFileSync(marksFile, 'utf8').split('\n')) {
          const [mark, sha] = line.split(' ')
          if (mark && sha) shas[Number(mark.slice(1)) - 1] = sha
        }
        return shas
      } finally {
        rmSync(marksFile, { force: true })
      }
    },
    commit(message, files = {}, o) {
      for (const [file, content] of Object.entries(files)) {
        const full = join(path, file)
        if (content === null) rmSync(full, { force: true })
        else {
          mkdirSync(dirname(full), { recursive: true })
          writeFileSync(full, content)
        }
      }
      runGit(path, ['add', '-A', '--', '.'])
      const empty = o?.allowEmpty ?? Object.keys(files).length === 0
      runGit(path, ['commit', '-q', ...(empty ? ['--allow-empty'] : []), '-m', message], { env: envFor(o) })
      return head()
    },
    branch(name, at = 'HEAD') {
      git('branch', name, at)
    },
    checkout(ref) {
      git('checkout', '-q', ref)
    },
    merge(ref, message, o) {
      const refs = Array.isArray(ref) ? ref : [ref]
      const msg = message ?? `Merge ${refs.join(', ')}`
      runGit(path, ['merge', '-q', '--no-ff', '--no-edit', '--allow-unrelated-histories', '-m', msg, ...refs], {
        env: envFor(o),
      })
      return head()
    },
    root(name, message, o) {
      const tree = runGit(path, ['mktree'], { input: '' }).trim()
      const sha = runGit(path, ['commit-tree', tree, '-m', message], { env: envFor(o) }).trim()
      git('branch', '-f', name, sha)
      return sha
    },
    cherryPick(sha, o) {
      const args = ['cherry-pick', ...(o?.trailer ? ['-x'] : []), '--allow-empty', '--keep-redundant-commits', sha]
      runGit(path, args, { env: envFor(o) })
      return head()
    },
    tag(name, o = {}) {
      const at = o.at ?? 'HEAD'
      if (o.message === undefined) git('tag', name, at)
      else runGit(path, ['tag', '-a', name, '-m', o.message, at], { env: gitEnv(tick(o.date)) })
    },
    revParse(rev) {
      return git('rev-parse', '--verify', '--quiet', rev)
    },
    head,
    get nextTime() {
      return clock
    },
    cleanup() {
      removeDir(path)
    },
  }
}
