import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** How a CLI process ended: its exit code (or the signal that killed it) and what it printed. */
export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A CLI process under way: its end, what it printed so far, and a SIGKILL as a crash would hit it. */
export interface CliProcess {
  done: Promise<CliRun>
  stdout: () => string
  kill: () => void
}

/** The real `trainyard` CLI in a process of its own (tests/integration/deploy/fixtures/cli-child.ts). */
const CHILD = join(import.meta.dirname, '..', 'integration', 'deploy', 'fixtures', 'cli-child.ts')

/**
 * Starts the CLI on a workspace file with `$TRAINYARD_HOME` at `home` and credentials held in memory (`secrets`),
 * a process per command as people run it.
 */
export function startCli(
  args: string[],
  env: { workspace: string; home: string; secrets: Record<string, string> },
): CliProcess {
  let stdout = ''
  let stderr = ''
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args, '--workspace', env.workspace], {
    env: { ...process.env, TRAINYARD_HOME: env.home, TY_SECRETS: JSON.stringify(env.secrets) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<CliRun>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { done, stdout: () => stdout, kill: () => proc.kill('SIGKILL') }
}
