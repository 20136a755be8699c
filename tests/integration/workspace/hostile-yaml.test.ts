import { execFile, execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { WorkspaceProblem } from '../../../src/shared/api/views'
import { removeDir, tmpDir } from '../../support/git-repo'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const fixture = (name: string) => join(root, 'tests/fixtures/workspaces', name)
const dir = tmpDir('trainyard-hostile-yaml-')

/**
 * `trainyard validate --json` in a child process: a file that hangs the reader blocks its event loop, so only
 * another process can stop it. The limit is a guard for a loaded machine, far above the few ms it takes.
 */
async function validate(file: string): Promise<WorkspaceProblem[]> {
  const result = await promisify(execFile)(
    process.execPath,
    [join(root, 'bin/trainyard.mjs'), 'validate', file, '--json'],
    {
      env: { ...process.env, TRAINYARD_HOME: join(dir, 'home') },
      timeout: 60_000,
      maxBuffer: 16 << 20,
    },
  ).catch((error: { stdout?: string; killed?: boolean }) => {
    if (error.killed) throw new Error(`validate ${file} did not finish within 60 s`)
    return { stdout: error.stdout ?? '' }
  })
  return (JSON.parse(result.stdout) as { problems: WorkspaceProblem[] }).problems
}

const at = (problems: WorkspaceProblem[]) => problems.map((p) => `${p.line}:${p.column}: ${p.message}`)

describe('hostile workspace files are refused at once, with file:line', () => {
  afterAll(() => removeDir(dir))

  it('a billion laughs: refused where the aliases pass the limit', async () => {
    const problems = await validate(fixture('billion-laughs.trainyard.yaml'))
    expect(at(problems)).toEqual([
      '9:10: the aliases up to `*e` repeat more than 100,000 nodes (aliases of aliases multiply)',
    ])
    expect(problems[0]?.file).toBe(fixture('billion-laughs.trainyard.yaml'))
    expect(problems[0]?.hint).toMatch(/write large parts out/)
  }, 120_000)

  it('an alias inside the node it names: each one refused', async () => {
    expect(at(await validate(fixture('recursive-alias.trainyard.yaml')))).toEqual([
      '4:16: `*loop` is inside the node it repeats (`&loop`, line 4), so it would repeat forever',
      '8:46: `*defaults` is inside the node it repeats (`&defaults`, line 8), so it would repeat forever',
    ])
  }, 120_000)

  it('brackets nested thousands deep: refused before the parser recurses', async () => {
    expect(at(await validate(fixture('deep-nesting.trainyard.yaml')))).toEqual([
      '4:73: `[` and `{` are nested more than 64 levels deep here',
    ])
  }, 120_000)

  it('a file over 1 MiB, and a FIFO, are not read', async () => {
    const large = join(dir, 'large.trainyard.yaml')
    writeFileSync(large, `version: 1\nname: Large\n# ${'x'.repeat(2 << 20)}\n`)
    expect(at(await validate(large))).toEqual([
      '1:1: the workspace file is larger than 1 MiB, the most Trainyard reads',
    ])
    const fifo = join(dir, 'fifo.trainyard.yaml')
    execFileSync('mkfifo', [fifo])
    expect(at(await validate(fifo))).toEqual([`1:1: ${fifo} is not a regular file`])
  }, 120_000)
})
