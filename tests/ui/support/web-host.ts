import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { buildIfNeeded } from '../../../scripts/build-if-needed.mjs'

/** A real web host in a child process over the real core, with its own TRAINYARD_HOME. */
export interface RunningHost {
  url: string
  origin: string
  home: string
  stderr: string[]
  stop(): Promise<void>
}

const root = resolve(import.meta.dirname, '../../..')

/** Starts the built web host `out/main/host.js` (as `npm run web` does, building first if needed) and waits for its URL. */
export async function startHost(args: string[], env: Record<string, string> = {}): Promise<RunningHost> {
  buildIfNeeded()
  const home = mkdtempSync(join(tmpdir(), 'trainyard-ui-'))
  const child: ChildProcess = spawn(process.execPath, [join(root, 'out/main/host.js'), '--json', ...args], {
    cwd: root,
    env: { ...process.env, TRAINYARD_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${stderr.join('\n')}`)), 60_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: string }
        if (parsed.url) {
          clearTimeout(timer)
          resolveUrl(parsed.url)
        }
      } catch {
        // not the JSON line
      }
    })
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}:\n${stderr.join('\n')}`)))
  })
  return {
    url,
    origin: new URL(url).origin,
    home,
    stderr,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(home, { recursive: true, force: true })
    },
  }
}
