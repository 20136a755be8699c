import * as fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findEquivalent, trailerReader } from '../../../src/main/core/git/equivalence'
import { createPatchIds } from '../../../src/main/core/git/patch-id'
import { createRepo } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

describe('findEquivalent: the same change under another sha', () => {
  let repo: TestRepo
  const cache = {}
  const s: Record<string, string> = {}
  const lines = (n: number, tag = ''): string => Array.from({ length: n }, (_, i) => `line ${i}${tag}\n`).join('')

  beforeAll(() => {
    repo = createRepo()
    s.base = repo.commit('Base', { 'app.txt': lines(30), 'other.txt': lines(30, ' other') })
    repo.branch('release')
    s.withTrailer = repo.commit('Fix A', { 'app.txt': lines(30).replace('line 3\n', 'line 3 fixed\n') })
    s.plain = repo.commit('Fix B', {
      'app.txt': lines(30).replace('line 3\n', 'line 3 fixed\n').replace('line 20\n', 'line 20 fixed\n'),
    })
    s.unpicked = repo.commit('Fix C', {
      'other.txt': lines(30, ' other').replace('line 9 other', 'line 9 other fixed'),
    })
    repo.checkout('release')
    repo.commit('Release only', { 'other.txt': lines(30, ' other').replace('line 1 other', 'line 1 other (release)') })
    s.pickedX = repo.cherryPick(s.withTrailer, { trailer: true })
    s.pickedPlain = repo.cherryPick(s.plain)
  })
  afterAll(() => repo.cleanup())

  function query(commit: string, candidates: string[], counter?: { patchIds: number }) {
    const ids = createPatchIds({ fs, gitdir: repo.gitdir, cache })
    return {
      commit,
      candidates,
      readTrailer: trailerReader({ fs, gitdir: repo.gitdir, cache }),
      patchIdOf: (sha: string) => {
        if (counter) counter.patchIds++
        return ids.patchId(sha)
      },
      headerIdOf: (sha: string) => ids.headerId(sha),
    }
  }

  const releaseCommits = (): string[] => repo.git('rev-list', `${s.base}..release`).split('\n')

  it('finds a pick made with -x by its trailer, in both directions', async () => {
    expect(await findEquivalent(query(s.withTrailer as string, releaseCommits()))).toEqual({
      sha: s.pickedX,
      via: 'trailer',
    })
    const mainCommits = repo.git('rev-list', `${s.base}..master`).split('\n')
    expect(await findEquivalent(query(s.pickedX as string, mainCommits))).toEqual({
      sha: s.withTrailer,
      via: 'trailer',
    })
  })

  it('finds a pick without a trailer by patch-id', async () => {
    expect(await findEquivalent(query(s.plain as string, releaseCommits()))).toEqual({
      sha: s.pickedPlain,
      via: 'patch-id',
    })
  })

  it('finds nothing for a change that was never picked, computing no patch-id when header ids differ', async () => {
    const counter = { patchIds: 0 }
    expect(
      await findEquivalent(
        query(
          s.unpicked as string,
          releaseCommits().filter((c) => c !== repo.git('rev-parse', 'release~2')),
          counter,
        ),
      ),
    ).toBeUndefined()
    expect(counter.patchIds).toBe(0)
    // "Release only" touches the same file the same way (header ids match), so only it is hashed, plus the commit itself.
    expect(await findEquivalent(query(s.unpicked as string, releaseCommits(), counter))).toBeUndefined()
    expect(counter.patchIds).toBe(2)
  })
})
