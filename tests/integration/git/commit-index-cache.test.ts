import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { openCommitIndexWithSource } from '../../../src/main/core/git/commit-index-open'
import { createRepo, removeDir, runGit, tmpDir, wrapRepo, type TestRepo } from '../../support/git-repo'

// The cache file: loaded when current, extended after new commits, rebuilt when it cannot be trusted.

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function setup(): { repo: TestRepo; cacheFile: string } {
  const repo = createRepo()
  const dir = tmpDir('trainyard-index-cache-')
  cleanups.push(
    () => repo.cleanup(),
    () => removeDir(dir),
  )
  repo.commit('First', { 'a.txt': 'a\n' })
  repo.branch('feature')
  repo.commit('Second (#4)', { 'b.txt': 'b\n' })
  repo.checkout('feature')
  repo.commit('Feature work', { 'c.txt': 'c\n' })
  repo.checkout('master')
  repo.merge('feature', 'Merge pull request #5 from org/feature')
  repo.tag('v1', { message: 'Release 1' })
  return { repo, cacheFile: `${dir}/index.bin` }
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0)

function expectAgreesWithGit(repo: TestRepo, index: CommitIndex): void {
  const all = lines(repo.git('rev-list', '--all'))
  expect(index.size).toBe(all.length)
  const history = new Map(all.map((sha) => [sha, new Set(lines(repo.git('rev-list', sha)))]))
  for (const a of all) {
    for (const b of all) {
      expect(new Set(index.range(a, b)), `${a}..${b}`).toEqual(new Set(lines(repo.git('rev-list', `${a}..${b}`))))
      expect(index.isAncestor(a, b), `${a} ancestor of ${b}`).toBe(history.get(b)?.has(a))
    }
  }
}

describe('commit index cache file', () => {
  it('is built once, then loaded without reading any commit', async () => {
    const { repo, cacheFile } = setup()
    const first = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(first).toMatchObject({ source: 'built', commitsRead: 4 })
    const second = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(second).toMatchObject({ source: 'loaded', commitsRead: 0 })
    expect(second.index.size).toBe(4)
    expect(second.index.findByPr(5)).toEqual([repo.revParse('master')])
    expect(second.index.resolve('v1')).toBe(repo.revParse('master'))
    expectAgreesWithGit(repo, second.index)
  })

  it('reads only the new commits after history grows, also across gc and packed refs', async () => {
    const { repo, cacheFile } = setup()
    await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    repo.checkout('feature')
    repo.commit('More feature', { 'd.txt': 'd\n' })
    repo.checkout('master')
    repo.commit('Main moves on', { 'e.txt': 'e\n' })
    repo.merge('feature', 'Merge feature again')
    repo.git('update-ref', 'refs/remotes/origin/master', 'HEAD')
    const updated = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(updated).toMatchObject({ source: 'updated', commitsRead: 3 })
    expectAgreesWithGit(repo, updated.index)

    repo.git('gc', '-q')
    const afterGc = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(afterGc).toMatchObject({ source: 'loaded', commitsRead: 0 })
    repo.commit('After gc', { 'f.txt': 'f\n' })
    const again = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(again).toMatchObject({ source: 'updated', commitsRead: 1 })
    expectAgreesWithGit(repo, again.index)
    expect(again.index.refs.get('refs/remotes/origin/master')).toBe(updated.index.refs.get('HEAD'))
  })

  it.each([
    [
      'a flipped byte',
      (file: Buffer): Buffer => Buffer.from(file.map((b, i) => (i === file.length >> 1 ? b ^ 0xff : b))),
    ],
    ['a truncated file', (file: Buffer): Buffer => file.subarray(0, file.length - 9)],
    ['garbage', (): Buffer => Buffer.from('not an index at all')],
    ['an empty file', (): Buffer => Buffer.alloc(0)],
    ['another format version', (file: Buffer): Buffer => Buffer.from(file.map((b, i) => (i === 4 ? b + 1 : b)))],
  ])('is rebuilt from %s', async (_name, damage) => {
    const { repo, cacheFile } = setup()
    await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    writeFileSync(cacheFile, damage(readFileSync(cacheFile)))
    const opened = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(opened).toMatchObject({ source: 'built', commitsRead: 4 })
    expectAgreesWithGit(repo, opened.index)
    expect(await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })).toMatchObject({ source: 'loaded' })
  })

  it('is rebuilt when the file belongs to another clone', async () => {
    const one = setup()
    const other = setup()
    await openCommitIndexWithSource({ gitdir: one.repo.gitdir, cacheFile: one.cacheFile })
    const opened = await openCommitIndexWithSource({ gitdir: other.repo.gitdir, cacheFile: one.cacheFile })
    expect(opened.source).toBe('built')
  })

  it('is rebuilt when a shallow clone is deepened, so boundary commits get their parents', async () => {
    const { repo: source } = setup()
    for (let i = 0; i < 4; i++) source.commit(`Later ${i}`, { [`l${i}.txt`]: `${i}\n` })
    const dir = tmpDir('trainyard-shallow-')
    cleanups.push(() => removeDir(dir))
    runGit(dir, ['clone', '-q', '--depth', '2', `file://${source.path}`, 'clone'])
    const clone = wrapRepo(`${dir}/clone`)
    const cacheFile = `${dir}/index.bin`
    const shallow = await openCommitIndexWithSource({ gitdir: clone.gitdir, cacheFile })
    expect(shallow.index.size).toBe(2)
    expect(shallow.index.get(clone.revParse('HEAD~1'))?.parents).toEqual([])
    clone.git('fetch', '-q', '--deepen', '2')
    const deeper = await openCommitIndexWithSource({ gitdir: clone.gitdir, cacheFile })
    expect(deeper.source).toBe('built')
    expect(deeper.index.size).toBe(4)
    expect(deeper.index.get(clone.revParse('HEAD~1'))?.parents).toEqual([clone.revParse('HEAD~2')])
  })

  it('says so when there is no repository', async () => {
    await expect(
      openCommitIndexWithSource({ gitdir: '/nonexistent/trainyard/.git', cacheFile: '/nonexistent/x.idx' }),
    ).rejects.toMatchObject({ code: 'not-found' })
  })

  it('follows refs that move to commits it already holds without rewriting', async () => {
    const { repo, cacheFile } = setup()
    await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    repo.git('branch', '-f', 'feature', 'master~1')
    repo.git('branch', '-D', 'feature')
    const opened = await openCommitIndexWithSource({ gitdir: repo.gitdir, cacheFile })
    expect(opened.source).toBe('loaded')
    expect(opened.index.refs.has('refs/heads/feature')).toBe(false)
    expect(() => opened.index.resolve('feature')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
