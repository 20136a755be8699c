import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const core = join(root, 'src/main/core')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

describe('the core', () => {
  it('imports cleanly in plain Node, every module of it, with no electron anywhere', () => {
    const modules = files(core)
    expect(modules.length).toBeGreaterThan(50)
    // A child process without vitest's module graph, as the CLI and the web host load it. Importing
    // `electron` there would throw (its index tries to download the binary), so a clean run proves the boundary.
    const script = `const mods = ${JSON.stringify(modules)}; let ok = 0; for (const m of mods) { await import(m); ok++ }; console.log(JSON.stringify({ ok }))`
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    })
    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toEqual({ ok: modules.length })
  }, 120_000)

  it('has no file that names electron in an import', () => {
    const offenders = files(core).filter((f) =>
      /from ['"]electron['"]|require\(['"]electron['"]\)|import\(['"]electron['"]\)/.test(readFileSync(f, 'utf8')),
    )
    expect(offenders.map((f) => relative(root, f))).toEqual([])
  })
})
