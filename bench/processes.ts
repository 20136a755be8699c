import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { gitEnv, runGit } from '../tests/support/git-repo'
import { mkdtempSync } from 'node:fs'
import { startGitHttpServer, type GitHttpServer } from '../tests/support/git-http-server'
import { benchCache, generatedRepo, TRANSPORT_FULL, TRANSPORT_SMALL, type HistoryShape } from './big-repo'

/** What one measured process did: its wall time, its peak RSS and what it printed. */
export interface Measured {
  ms: number
  rssMb: number
  stdout: string
}

/** Runs a command to its end; wall time measured here, peak RSS (of it and its children) by /usr/bin/time. */
export async function measure(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Measured> {
  const report = join(tmpdir(), `trainyard-bench-time-${process.pid}-${Math.random()}`)
  const start = performance.now()
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, command, ...args], {
      cwd,
      env: { ...gitEnv(), PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} failed: ${err}`))))
  })
  const ms = performance.now() - start
  const rssMb = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1)) / 1024
  rmSync(report, { force: true })
  return { ms, rssMb, stdout }
}

/** A bench child script (`bench/<name>.ts`) bundled to plain JavaScript, so it starts as fast as git (no TypeScript loader). */
export async function bundle(name: string): Promise<string> {
  const outfile = join(benchCache(), `${name}.cjs`)
  await build({
    entryPoints: [join(import.meta.dirname, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'error',
    // keytar is native; the children never reach the keychain (they use a memory store).
    external: ['keytar', 'electron'],
  })
  return outfile
}

/** A served copy of a cached repository: its own refs, the cache's objects borrowed through alternates. */
export function servedCopy(source: string, root: string): string {
  const gitdir = join(root, 'big.git')
  mkdirSync(root, { recursive: true })
  runGit(root, ['init', '-q', '--bare', gitdir])
  writeFileSync(join(gitdir, 'objects', 'info', 'alternates'), `${join(source, 'objects')}\n`)
  writeFileSync(join(gitdir, 'packed-refs'), readFileSync(join(source, 'packed-refs')))
  runGit(gitdir, ['symbolic-ref', 'HEAD', 'refs/heads/master'])
  return gitdir
}

/** A generated repository served by `git http-backend` from a work dir of its own. */
export interface ServedBench {
  shape: HistoryShape
  /** The generated repository in the bench cache. */
  cached: string
  work: string
  /** The served copy (`big.git`), whose refs a bench may change. */
  served: string
  server: GitHttpServer
  url: string
  /** Stops the server and removes the work dir. */
  close(): Promise<void>
}

/** Serves the generated repository `name` (made once into the bench cache) from a fresh work dir. */
export async function serveGenerated(name: string, shape: HistoryShape, prefix: string): Promise<ServedBench> {
  const cached = await generatedRepo(name, shape)
  const work = mkdtempSync(join(tmpdir(), `trainyard-bench-${prefix}-`))
  const served = servedCopy(cached, join(work, 'served'))
  const server = await startGitHttpServer({ root: join(work, 'served') })
  return {
    shape,
    cached,
    work,
    served,
    server,
    url: server.repoUrl('big'),
    close: async () => {
      await server.close()
      rmSync(work, { recursive: true, force: true })
    },
  }
}

/** The transport benches' repository, 150k commits (3k with TRAINYARD_BENCH_SIZE=small), served. */
export function serveTransportRepo(prefix: string): Promise<ServedBench> {
  return process.env.TRAINYARD_BENCH_SIZE === 'small'
    ? serveGenerated('history-3k', TRANSPORT_SMALL, prefix)
    : serveGenerated('history-150k', TRANSPORT_FULL, prefix)
}
