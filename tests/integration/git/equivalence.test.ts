import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import { Equivalence } from '../../../src/main/core/git/equivalence/equivalence'
import { createRepo, removeDir, tmpDir } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

describe('the equivalence table: the same change under another sha', () => {
  let repo: TestRepo
  let dir: string
  const s: Record<string, string> = {}
  const lines = (n: number, tag = ''): string => Array.from({ length: n }, (_, i) => `line ${i}${tag}\n`).join('')

  beforeAll(() => {
    dir = tmpDir('trainyard-equivalence-')
    repo = createRepo()
    s.base = repo.commit('Base', { 'app.txt': lines(30), 'other.txt': lines(30, ' other'), 'lone.txt': 'x\n' })
    repo.branch('release')
    s.withTrailer = repo.commit('Fix A', { 'app.txt': lines(30).replace('line 3\n', 'line 3 fixed\n') })
    s.plain = repo.commit('Fix B', {
      'app.txt': lines(30).replace('line 3\n', 'line 3 fixed\n').replace('line 20\n', 'line 20 fixed\n'),
    })
    s.unpicked = repo.commit('Fix C', {
      'other.txt': lines(30, ' other').replace('line 9 other', 'line 9 other fixed'),
    })
    s.lone = repo.commit('Touches a file nothing else touches', { 'lone.txt': 'y\n' })
    repo.checkout('release')
    s.releaseOnly = repo.commit('Release only', {
      'other.txt': lines(30, ' other').replace('line 1 other', 'line 1 other (release)'),
    })
    s.pickedX = repo.cherryPick(s.withTrailer, { trailer: true })
    s.pickedPlain = repo.cherryPick(s.plain)
    s.release = repo.revParse('release')
    s.master = repo.revParse('master')
  })
  afterAll(() => {
    repo.cleanup()
    removeDir(dir)
  })

  const open = async (opts: { file?: boolean; budgetMs?: number } = {}) => {
    const index = await openCommitIndex({ gitdir: repo.gitdir, cacheFile: join(dir, 'index.idx') })
    return new Equivalence(index, {
      repo: { fs, gitdir: repo.gitdir, cache: {} },
      ...(opts.file ? { file: { path: join(dir, 'table.eqi'), key: repo.gitdir } } : {}),
      ...(opts.budgetMs !== undefined ? { budgetMs: opts.budgetMs } : {}),
    })
  }
  const fillAll = async (table: Equivalence) => {
    while (await table.fill(performance.now() + 1000));
  }

  it('finds a pick made with -x by its trailer, in both directions', async () => {
    const table = await open()
    expect(await table.find(s.withTrailer as string, s.release as string)).toEqual({ sha: s.pickedX, via: 'trailer' })
    expect(await table.find(s.pickedX as string, s.master as string)).toEqual({ sha: s.withTrailer, via: 'trailer' })
  })

  it('finds a pick without a trailer by patch-id, in both directions, and nothing for a change never picked', async () => {
    const table = await open()
    expect(await table.find(s.plain as string, s.release as string)).toEqual({ sha: s.pickedPlain, via: 'patch-id' })
    expect(await table.find(s.pickedPlain as string, s.master as string)).toEqual({ sha: s.plain, via: 'patch-id' })
    expect(await table.find(s.unpicked as string, s.release as string)).toBeUndefined()
    // A commit is never its own twin, and a twin already in the commit's own history does not count (git cherry's rule).
    expect(await table.find(s.plain as string, s.master as string)).toBeUndefined()
  })

  it('computes patch-ids only where header ids collide (git’s header-id trick)', async () => {
    const table = await open()
    await fillAll(table)
    expect(table.progress()).toMatchObject({ phase: 'complete' })
    // Fix B and its pick change app.txt the same way; so do Fix A and its pick; Fix C and "Release only" share other.txt.
    for (const sha of [s.plain, s.pickedPlain, s.withTrailer, s.pickedX, s.unpicked, s.releaseOnly])
      expect(table.known(sha as string), sha).toBe('patch-id')
    expect(table.known(s.lone as string)).toBe('header id')
    expect(table.known(s.base as string)).toBe('header id')
  })

  it('answers "not yet known" while the ids an answer needs are missing, never "none", and queues them first', async () => {
    const table = await open({ budgetMs: 0 })
    const answer = await table.find(s.plain as string, s.release as string)
    expect(answer).toMatchObject({ pending: true })
    expect(answer && 'reason' in answer ? answer.reason : '').toContain('still being indexed')
    expect(table.findKnown(s.unpicked as string, s.release as string)).toMatchObject({ pending: true })
    // Trailers need no table.
    expect(table.findKnown(s.withTrailer as string, s.release as string)).toEqual({ sha: s.pickedX, via: 'trailer' })
    // The asked-for commits are computed in the first slice of background work.
    await table.fill(performance.now() + 60_000)
    expect(table.known(s.plain as string)).toBe('patch-id')
    expect(table.findKnown(s.plain as string, s.release as string)).toEqual({ sha: s.pickedPlain, via: 'patch-id' })
  })

  it('lists every commit known to carry the same change, for the graph’s details', async () => {
    const table = await open()
    expect(table.sameChange(s.withTrailer as string)).toEqual([{ sha: s.pickedX, via: 'trailer' }])
    // Patch-ids count once computed.
    expect(table.sameChange(s.plain as string)).toEqual([])
    await fillAll(table)
    expect(table.sameChange(s.plain as string)).toEqual([{ sha: s.pickedPlain, via: 'patch-id' }])
    expect(table.sameChange(s.lone as string)).toEqual([])
    // The graph links picks made without -x; picks with a trailer are linked by it already.
    expect(table.patchTwins()).toEqual([[s.plain, s.pickedPlain]])
  })

  it('keeps the table in a file: a new run answers without computing, and a file of another clone is ignored', async () => {
    const first = await open({ file: true })
    await fillAll(first)
    first.save()
    const again = await open({ file: true, budgetMs: 0 })
    expect(again.progress()).toMatchObject({ phase: 'complete' })
    expect(again.findKnown(s.plain as string, s.release as string)).toEqual({ sha: s.pickedPlain, via: 'patch-id' })
    const index = await openCommitIndex({ gitdir: repo.gitdir, cacheFile: join(dir, 'index.idx') })
    const other = new Equivalence(index, {
      repo: { fs, gitdir: repo.gitdir, cache: {} },
      file: { path: join(dir, 'table.eqi'), key: '/another/clone' },
    })
    expect(other.progress()).toMatchObject({ phase: 'header ids', done: 0 })
  })

  it('after new commits, computes only theirs and answers for them', async () => {
    const scratch = createRepo()
    try {
      const a = scratch.commit('Base', { 'f.txt': lines(20) })
      scratch.branch('release')
      const fix = scratch.commit('Fix', { 'f.txt': lines(20).replace('line 5\n', 'line 5 fixed\n') })
      const index1 = await openCommitIndex({ gitdir: scratch.gitdir, cacheFile: join(dir, 'scratch.idx') })
      const table = new Equivalence(index1, { repo: { fs, gitdir: scratch.gitdir, cache: {} } })
      await fillAll(table)
      scratch.checkout('release')
      const copy = scratch.cherryPick(fix)
      const index2 = await openCommitIndex({ gitdir: scratch.gitdir, cacheFile: join(dir, 'scratch.idx') })
      table.update(index2)
      // Base and Fix carry over; only the copy is new.
      expect(table.progress()).toEqual({ phase: 'header ids', done: 2, total: 3 })
      expect(table.known(a)).toBe('header id')
      await fillAll(table)
      expect(table.findKnown(fix, copy)).toEqual({ sha: copy, via: 'patch-id' })
    } finally {
      scratch.cleanup()
    }
  })
})
