import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPickHistory } from '../../../bench/cherry-pick.bench'
import type { PickHistory } from '../../../bench/cherry-pick.bench'
import { headerId, patchId } from '../../../src/main/core/git/patch-id'
import { gitEnv, removeDir, runGit, tmpDir } from '../../support/git-repo'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'

/** The pinned definition, computed by git itself. */
function gitPatchId(dir: string, sha: string, root = false): string | undefined {
  const range = root ? ['--root', sha] : [`${sha}^`, sha]
  const diff = execFileSync(
    'git',
    ['diff-tree', '-p', '--full-index', '--no-renames', '--histogram', '--no-indent-heuristic', ...range],
    { cwd: dir, env: gitEnv() },
  )
  const out = execFileSync('git', ['patch-id', '--stable'], { cwd: dir, input: diff, env: gitEnv() }).toString()
  return out.split(' ')[0] || undefined
}

describe('patch-id matches git diff-tree -p … | git patch-id --stable', { timeout: DIFFERENTIAL_TIMEOUT_MS }, () => {
  let h: PickHistory
  const cache = {}
  beforeAll(() => {
    h = buildPickHistory(77, 205, { linesPerFile: 120 })
  })
  afterAll(() => h.cleanup())

  it('on 200+ random commits (text edits, adds, deletes, mode flips, binary, Latin-1 bytes and names)', async () => {
    const mismatches: string[] = []
    for (const sha of h.commits.slice(1)) {
      const ours = await patchId({ fs, gitdir: h.gitdir, cache }, sha)
      const git = gitPatchId(h.dir, sha)
      if (ours !== git) mismatches.push(`${sha}: git ${git}, we ${ours}`)
    }
    expect(h.commits.length - 1).toBeGreaterThanOrEqual(200)
    expect(mismatches).toEqual([])
  })
})

describe('patch-id edge cases', () => {
  const dir = tmpDir('trainyard-patch-edges-')
  const gitdir = join(dir, '.git')
  const cache = {}
  let time = 1_704_067_200
  const git = (...args: string[]): string => runGit(dir, args, { env: gitEnv((time += 60)) }).trim()
  const write = (path: string, data: string | Buffer, mode = 0o644): void => {
    const full = Buffer.from(join(dir, path), 'latin1')
    fs.mkdirSync(join(dir, path, '..'), { recursive: true })
    fs.writeFileSync(full, data)
    fs.chmodSync(full, mode)
  }
  const commit = (message: string): string => {
    git('add', '-A', '.')
    git('commit', '-q', '--allow-empty', '-m', message)
    return git('rev-parse', 'HEAD')
  }
  const shas: Record<string, string> = {}
  beforeAll(() => {
    git('init', '-q')
    write('a.txt', 'one\ntwo\nthree\n')
    write('b.txt', 'alpha\nbeta\n')
    write('logo.bin', Buffer.from([0, 1, 2, 3, 10, 0, 5]))
    shas.root = commit('root')
    fs.chmodSync(join(dir, 'a.txt'), 0o755)
    write('b.txt', 'alpha\nbeta\ngamma\n')
    shas.modeThenText = commit('mode-only change followed by a text change')
    write('logo.bin', Buffer.from([0, 9, 9, 10, 0]))
    write('c.txt', 'after the binary\n')
    shas.binaryThenText = commit('binary change followed by a new file')
    write('empty.txt', '')
    write('d.txt', 'no newline at the end')
    shas.emptyAndNoNewline = commit('empty file and a missing final newline')
    fs.rmSync(join(dir, 'b.txt'))
    fs.symlinkSync('a.txt', join(dir, 'link'))
    shas.deleteAndSymlink = commit('delete and symlink')
    fs.rmSync(join(dir, 'c.txt'))
    fs.symlinkSync('d.txt', join(dir, 'c.txt'))
    shas.typeChange = commit('file becomes a symlink')
    write('caf\u00e9 "quoted" name.txt', Buffer.from('na\u00efve bytes \xff\xfe\n', 'latin1'))
    write('dir with space/x.txt', 'x\n')
    shas.oddNames = commit('odd names and bytes')
    shas.empty = commit('nothing')
    git('checkout', '-q', '-b', 'side', shas.root)
    write('side.txt', 'side\n')
    commit('side')
    git('checkout', '-q', 'master')
    git('merge', '-q', '--no-ff', '--no-edit', 'side')
    shas.merge = git('rev-parse', 'HEAD')
  })
  afterAll(() => removeDir(dir))

  it.each(['modeThenText', 'binaryThenText', 'emptyAndNoNewline', 'deleteAndSymlink', 'typeChange', 'oddNames'])(
    '%s',
    async (name) => {
      const sha = shas[name] as string
      const ours = await patchId({ fs, gitdir, cache }, sha)
      expect(ours).toBeDefined()
      expect(ours).toBe(gitPatchId(dir, sha))
    },
  )

  it('diffs a root commit against the empty tree', async () => {
    expect(await patchId({ fs, gitdir, cache }, shas.root as string)).toBe(gitPatchId(dir, shas.root as string, true))
  })

  it('has no patch-id or header id for merges and empty commits', async () => {
    expect(await patchId({ fs, gitdir, cache }, shas.merge as string)).toBeUndefined()
    expect(await patchId({ fs, gitdir, cache }, shas.empty as string)).toBeUndefined()
    expect(await headerId({ fs, gitdir, cache }, shas.empty as string)).toBeUndefined()
  })
})
