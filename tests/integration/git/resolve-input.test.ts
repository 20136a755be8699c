import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { resolveInput } from '../../../src/main/core/repos/resolve-input'
import { cloneRepo, createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'

/* The one resolver of user input, over a bare clone as Trainyard keeps it (remote branches under refs/remotes/origin). */
describe('resolveInput', () => {
  let work: TestRepo
  let clone: TestRepo
  let dir: string
  let index: CommitIndex
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    dir = tmpDir('trainyard-resolve-')
    work = createRepo()
    sha.base = work.commit('Base (#3)', { 'a.txt': '1\n' })
    sha.fix = work.commit('Fix (#12)', { 'a.txt': '2\n' })
    work.tag('v1.0')
    work.branch('us-release', sha.base)
    work.checkout('us-release')
    sha.copy = work.cherryPick(sha.fix, { trailer: true })
    work.checkout('master')
    clone = cloneRepo(work.path, { dir: join(dir, 'clone.git'), bare: true })
    clone.git('fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*')
    clone.git('branch', '-q', 'local-only', sha.base)
    index = await openCommitIndex({ gitdir: clone.gitdir, cacheFile: join(dir, 'index.idx') })
  })
  afterAll(() => {
    work.cleanup()
    removeDir(dir)
  })

  it('names the same commit as git for SHAs, branches, remote branches and tags', () => {
    const cases: [string, 'sha' | 'branch' | 'ref', string][] = [
      [sha.fix as string, 'sha', sha.fix as string],
      [(sha.fix as string).slice(0, 8), 'sha', sha.fix as string],
      ['us-release', 'branch', clone.revParse('refs/remotes/origin/us-release')],
      ['origin/us-release', 'branch', clone.revParse('origin/us-release')],
      ['local-only', 'branch', clone.revParse('local-only')],
      ['v1.0', 'ref', clone.revParse('v1.0')],
    ]
    for (const [input, via, expected] of cases)
      expect(resolveInput(index, input, 'master'), input).toEqual({ sha: expected, via })
  })

  it('takes #N (or a number too short for a SHA) as a pull request, preferring the commit on the default branch', () => {
    expect(resolveInput(index, '#12', 'master')).toEqual({ sha: sha.fix, via: 'pr' })
    expect(resolveInput(index, '12', 'master')).toEqual({ sha: sha.fix, via: 'pr' })
    // Without a default branch, the newest commit naming it (here the copy) is all there is to go by.
    expect(resolveInput(index, '#12').sha).toBe(sha.copy)
    expect(() => resolveInput(index, '#99', 'master')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => resolveInput(index, 'nope', 'master')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
