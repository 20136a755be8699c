import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { firstParentAtTime } from '../../../src/main/core/trains/sha-at-time'
import { createRepo, type TestRepo } from '../../support/git-repo'
import { gitCommitTimes } from './git-ports'

const t = (iso: string): number => Date.parse(iso) / 1000

describe('the branch SHA at a cut, by first parents', () => {
  let repo: TestRepo
  beforeAll(() => {
    repo = createRepo()
    repo.commit('one', { a: '1' }, { date: t('2026-01-05T09:00:00Z') })
    repo.commit('two', { a: '2' }, { date: t('2026-01-07T09:00:00Z') })
    repo.branch('feature')
    repo.checkout('feature')
    // Written before the cut on a feature branch, merged after it: not on master at the cut.
    repo.commit('feature work', { f: '1' }, { date: t('2026-01-08T12:00:00Z') })
    repo.checkout('master')
    repo.commit('three', { a: '3' }, { date: t('2026-01-08T23:59:59Z') })
    repo.merge('feature', 'Merge pull request #7 from feature', { date: t('2026-01-09T08:00:00Z') })
    repo.commit('four', { a: '4' }, { date: t('2026-01-12T09:00:00Z') })
  })
  afterAll(() => repo.cleanup())

  const oracle = (instant: Date): string | undefined =>
    repo.git('rev-list', '-1', '--first-parent', `--before=${instant.getTime() / 1000}`, 'master') || undefined

  it('agrees with git rev-list --first-parent --before at and around each commit', () => {
    const commits = gitCommitTimes(repo)
    const tip = repo.revParse('master')
    const instants = [
      '2026-01-04T00:00:00Z',
      '2026-01-05T09:00:00Z',
      '2026-01-08T13:00:00Z',
      '2026-01-08T23:59:59Z',
      '2026-01-09T00:00:00Z',
      '2026-01-09T08:00:00Z',
      '2026-01-20T00:00:00Z',
    ].map((s) => new Date(s))
    for (const instant of instants)
      expect(firstParentAtTime(commits, tip, instant), instant.toISOString()).toBe(oracle(instant))
  })

  it('never answers with a commit that was only on a merged branch at the cut', () => {
    const atCut = firstParentAtTime(gitCommitTimes(repo), repo.revParse('master'), new Date('2026-01-09T00:00:00Z'))
    expect(atCut).toBe(repo.revParse('master~2'))
    expect(atCut).not.toBe(repo.revParse('feature'))
  })

  it('has nothing before the first commit, or when the walk leaves the known history', () => {
    expect(
      firstParentAtTime(gitCommitTimes(repo), repo.revParse('master'), new Date('2025-12-31T00:00:00Z')),
    ).toBeUndefined()
    expect(firstParentAtTime({ get: () => undefined }, 'f'.repeat(40), new Date())).toBeUndefined()
  })
})
