import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { removeDir, tmpDir } from '../../support/git-repo'

const run = promisify(execFile)
const root = join(import.meta.dirname, '../../..')
const bin = join(root, 'bin/trainyard.mjs')
const home = tmpDir('trainyard-cli-help-')

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, TRAINYARD_HOME: home },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('help for one command', () => {
  afterAll(() => removeDir(home))

  it('`trainyard <command> --help` prints that command’s help, not the list', async () => {
    const where = await cli('where', '--help')
    expect(where.code).toBe(0)
    expect(where.stdout).toMatch(/^Usage: trainyard where <sha\|#pr\|branch>/)
    expect(where.stdout).toContain('deployed-as-cherry-pick')
    expect(where.stdout).not.toContain('credentials delete')
  })

  it('`trainyard help <command>` prints the same, for two-word commands too', async () => {
    expect((await cli('help', 'compare')).stdout).toBe((await cli('compare', '-h')).stdout)
    const compare = await cli('help', 'compare')
    expect(compare.stdout).toMatch(/what <to> has that <from> lacks/)
    const pick = await cli('help', 'hotfix', 'pick')
    expect(pick.stdout).toMatch(/^Usage: trainyard hotfix pick /)
    expect(pick.stdout).toContain('--dry-run')
  })

  it('lists a group’s commands, and the commands under one', async () => {
    const hotfix = await cli('hotfix', '--help')
    expect(hotfix.code).toBe(0)
    for (const name of ['hotfix create', 'hotfix pick', 'hotfix push']) expect(hotfix.stdout).toContain(name)
    expect((await cli('help', 'trains')).stdout).toMatch(/Commands under it:[\s\S]*trains promote/)
    const bare = await cli('hotfix')
    expect(bare.code).toBe(2)
    expect(bare.stderr).toContain('"hotfix" needs one of: create, pick, push')
  })

  it('says so for a command that does not exist, and `trainyard help` is the list', async () => {
    const missing = await cli('help', 'deploy-everything')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('There is no command "deploy-everything"')
    const list = await cli('help')
    expect(list.code).toBe(0)
    expect(list.stdout).toContain('trainyard help <command>')
  })
})
