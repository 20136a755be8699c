import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** What the build makes, relative to the repository: each must be newer than every file in src/. */
const outputs = [
  'out/renderer/index.html',
  'out/preload/index.cjs',
  'out/main/index.js',
  'out/main/cli.js',
  'out/main/host.js',
]

function newest(dir) {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

function isFresh(root) {
  const built = outputs.map((file) => join(root, file))
  if (!built.every((file) => existsSync(file))) return false
  const oldest = Math.min(...built.map((file) => statSync(file).mtimeMs))
  return oldest >= newest(join(root, 'src')) && oldest >= statSync(join(root, 'electron.vite.config.ts')).mtimeMs
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Runs `work` while holding `out/.build-lock` (a directory: mkdir is atomic), so that CLI processes started
 * together build once; a lock older than five minutes belonged to a build that died and is taken over.
 */
function withBuildLock(root, work) {
  const lock = join(root, 'out', '.build-lock')
  mkdirSync(join(root, 'out'), { recursive: true })
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      try {
        if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmdirSync(lock)
      } catch {
        // Released meanwhile.
      }
      sleep(200)
    }
  }
  try {
    work()
  } finally {
    rmdirSync(lock)
  }
}

/**
 * Builds the app with electron-vite when out/ is missing or older than src/ (the renderer, the shell, the CLI
 * and the web host). Its progress goes to stderr, so a command's stdout (`--json`) stays clean.
 */
export function buildIfNeeded(root = repoRoot) {
  if (isFresh(root)) return
  withBuildLock(root, () => {
    if (isFresh(root)) return
    process.stderr.write('Building Trainyard (electron-vite build)…\n')
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        stdio: ['ignore', 2, 2],
      },
    )
    if (result.status !== 0) process.exit(result.status ?? 1)
  })
}
