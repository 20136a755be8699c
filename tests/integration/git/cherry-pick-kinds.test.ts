import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { planCherryPicks } from '../../../src/main/core/git/cherry-pick'
import type { ConflictKind } from '../../../src/main/core/git/cherry-pick'
import { createRepo, gitEnv } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

// One small repository per kind of tree conflict; git cherry-pick in the worktree is the oracle.
type Change = string | null | { link: string } | { exec: string }

function apply(repo: TestRepo, files: Record<string, Change>, message: string): string {
  for (const [path, change] of Object.entries(files)) {
    const full = join(repo.path, path)
    fs.rmSync(full, { recursive: true, force: true })
    if (change === null) continue
    fs.mkdirSync(join(full, '..'), { recursive: true })
    if (typeof change === 'string') fs.writeFileSync(full, change)
    else if ('link' in change) fs.symlinkSync(change.link, full)
    else {
      fs.writeFileSync(full, change.exec)
      fs.chmodSync(full, 0o755)
    }
  }
  return repo.commit(message, {}, { allowEmpty: true })
}

interface Case {
  name: string
  base: Record<string, Change>
  ours: Record<string, Change>
  theirs: Record<string, Change>
  expected: { path: string; kind: ConflictKind }[] | 'clean' | 'empty'
}

const text = (tag: string): string => Array.from({ length: 12 }, (_, i) => `line ${i} ${i === 5 ? tag : ''}\n`).join('')

const cases: Case[] = [
  {
    name: 'modify/delete',
    base: { 'a.txt': text('') },
    ours: { 'a.txt': null },
    theirs: { 'a.txt': text('theirs') },
    expected: [{ path: 'a.txt', kind: 'modify-delete' }],
  },
  {
    name: 'delete/modify',
    base: { 'a.txt': text('') },
    ours: { 'a.txt': text('ours') },
    theirs: { 'a.txt': null },
    expected: [{ path: 'a.txt', kind: 'modify-delete' }],
  },
  {
    name: 'add/add, different',
    base: {},
    ours: { 'n.txt': 'ours\n' },
    theirs: { 'n.txt': 'theirs\n' },
    expected: [{ path: 'n.txt', kind: 'add-add' }],
  },
  {
    name: 'add/add, same content',
    base: { 'k.txt': 'k\n' },
    ours: { 'n.txt': 'same\n' },
    theirs: { 'n.txt': 'same\n', 'k.txt': 'k2\n' },
    expected: 'clean',
  },
  {
    name: 'add/add, same content, different mode',
    base: { 'k.txt': 'k\n' },
    ours: { 'n.sh': 'same\n' },
    theirs: { 'n.sh': { exec: 'same\n' }, 'k.txt': 'k2\n' },
    expected: [{ path: 'n.sh', kind: 'mode' }],
  },
  {
    name: 'binary changed on both sides',
    base: { 'b.bin': '\0one' },
    ours: { 'b.bin': '\0two' },
    theirs: { 'b.bin': '\0three' },
    expected: [{ path: 'b.bin', kind: 'binary' }],
  },
  {
    name: 'file against directory',
    base: { 'k.txt': 'k\n' },
    ours: { x: 'file\n' },
    theirs: { 'x/y.txt': 'nested\n' },
    expected: [{ path: 'x', kind: 'file-directory' }],
  },
  {
    name: 'mode on one side, content on the other',
    base: { 'run.sh': text('') },
    ours: { 'run.sh': { exec: text('') } },
    theirs: { 'run.sh': text('theirs') },
    expected: 'clean',
  },
  {
    name: 'symlink retargeted on both sides',
    base: { l: { link: 'a' } },
    ours: { l: { link: 'b' } },
    theirs: { l: { link: 'c' } },
    expected: [{ path: 'l', kind: 'content' }],
  },
  {
    name: 'deleted on both sides',
    base: { 'a.txt': text(''), 'k.txt': 'k\n' },
    ours: { 'a.txt': null },
    theirs: { 'a.txt': null },
    expected: 'empty',
  },
  {
    name: 'directory removed on one side, file inside edited on the other',
    base: { 'd/a.txt': text(''), 'd/b.txt': 'b\n' },
    ours: { d: null },
    theirs: { 'd/a.txt': text('theirs') },
    expected: [{ path: 'd/a.txt', kind: 'modify-delete' }],
  },
]

describe('cherry-pick conflict kinds, checked against git', () => {
  let repo: TestRepo | undefined
  afterEach(() => repo?.cleanup())

  it.each(cases)('$name', async ({ base, ours, theirs, expected }) => {
    repo = createRepo()
    const baseSha = apply(repo, { README: 'readme\n', ...base }, 'base')
    repo.branch('theirs')
    const oursSha = apply(repo, ours, 'ours')
    repo.checkout('theirs')
    const theirsSha = apply(repo, theirs, 'theirs')
    expect(baseSha).not.toBe(theirsSha)
    const plan = await planCherryPicks({ fs, gitdir: repo.gitdir, cache: {}, onto: oursSha, commits: [theirsSha] })

    repo.git('checkout', '-q', '--detach', oursSha)
    let gitClean = true
    try {
      repo.gitWith(['cherry-pick', '-x', theirsSha], { env: gitEnv(1_800_000_000) })
    } catch {
      gitClean = false
    }
    const unmerged = repo.git('diff', '--name-only', '--diff-filter=U').split('\n').filter(Boolean)
    if (!gitClean) repo.git('cherry-pick', '--abort')

    if (expected === 'clean') {
      expect(gitClean).toBe(true)
      expect(plan.ok && plan.picks[0]?.tree).toBe(repo.git('rev-parse', 'HEAD^{tree}'))
      return
    }
    expect(gitClean).toBe(false)
    expect(plan.ok).toBe(false)
    if (plan.ok) return
    if (expected === 'empty') {
      expect(unmerged).toEqual([])
      expect(plan.conflicts).toEqual([{ commit: theirsSha, reason: 'empty', paths: [] }])
      return
    }
    expect(plan.conflicts[0]?.paths.map(({ path, kind }) => ({ path, kind }))).toEqual(expected)
    // git records file/directory conflicts under renamed paths (x~HEAD); every other kind is unmerged in place.
    if (expected[0]?.kind !== 'file-directory') expect(unmerged).toEqual(expected.map((e) => e.path))
  })
})
