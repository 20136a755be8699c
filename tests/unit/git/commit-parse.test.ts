import { describe, expect, it } from 'vitest'
import { parseCommit } from '../../../src/main/core/git/commit-parse'
import { pullRequestFromSubject } from '../../../src/main/core/git/pull-requests-from-subjects'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

function raw(headers: string[], message: string): Buffer {
  return Buffer.from(`${headers.join('\n')}\n\n${message}`, 'utf8')
}

describe('parseCommit', () => {
  it('reads parents, author, committer time and the subject', () => {
    const c = parseCommit(
      C,
      raw(
        [
          `tree ${A}`,
          `parent ${A}`,
          `parent ${B}`,
          'author Ada Lovelace <ada@example.org> 1700000000 +0100',
          'committer Bot <bot@example.org> 1700000123 -0700',
        ],
        'Merge things\n\nBody\n',
      ),
    )
    expect(c).toEqual({
      sha: C,
      parents: [A, B],
      time: 1700000123,
      authorName: 'Ada Lovelace',
      authorEmail: 'ada@example.org',
      subject: 'Merge things',
    })
  })

  it('joins a wrapped first paragraph like git %s and skips leading blank lines', () => {
    const c = parseCommit(
      C,
      raw(
        [`tree ${A}`, 'author X <x@y> 1 +0000', 'committer X <x@y> 2 +0000'],
        '\n\nFirst line  \nsecond line\n\nbody',
      ),
    )
    expect(c.subject).toBe('First line second line')
    expect(c.parents).toEqual([])
  })

  it('keeps non-ASCII names and subjects', () => {
    const c = parseCommit(
      C,
      raw(
        [`tree ${A}`, 'author Zoë Çelik <zoe@example.org> 1 +0000', 'committer Zoë Çelik <zoe@example.org> 5 +0000'],
        'Réparer le déploiement 🚂',
      ),
    )
    expect(c).toMatchObject({ authorName: 'Zoë Çelik', subject: 'Réparer le déploiement 🚂', time: 5 })
  })

  it('takes the last cherry-pick trailer (a pick of a pick) and ignores look-alikes', () => {
    const headers = [`tree ${A}`, 'author X <x@y> 1 +0000', 'committer X <x@y> 2 +0000']
    expect(
      parseCommit(C, raw(headers, `Fix\n\n(cherry picked from commit ${A})\n(cherry picked from commit ${B})\n`))
        .pickedFrom,
    ).toBe(B)
    expect(
      parseCommit(C, raw(headers, `Fix\n\nsee (cherry picked from commit ${A}) inline\n`)).pickedFrom,
    ).toBeUndefined()
    expect(parseCommit(C, raw(headers, 'Fix\n\n(cherry picked from commit abc)\n')).pickedFrom).toBeUndefined()
  })

  it('skips multi-line headers such as gpgsig', () => {
    const c = parseCommit(
      C,
      raw(
        [
          `tree ${A}`,
          `parent ${B}`,
          'author X <x@y> 1 +0000',
          'committer X <x@y> 9 +0000',
          'gpgsig -----BEGIN PGP SIGNATURE-----',
          ' parent fake',
          ' -----END PGP SIGNATURE-----',
        ],
        'Signed',
      ),
    )
    expect(c).toMatchObject({ parents: [B], time: 9, subject: 'Signed' })
  })
})

describe('pullRequestFromSubject', () => {
  it.each([
    ['Merge pull request #123 from org/branch', 123],
    ['Add the deploy button (#45)', 45],
    ['Add the deploy button (#45) ', 45],
    ['Fix #12 in the parser', undefined],
    ['Merge branch main', undefined],
    ['Bump (#0)', undefined],
    ['(#7) at the start', undefined],
  ])('%s → %s', (subject, expected) => {
    expect(pullRequestFromSubject(subject)).toBe(expected)
  })
})
