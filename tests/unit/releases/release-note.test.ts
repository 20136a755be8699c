import { describe, expect, it } from 'vitest'
import type { CommitSummary } from '../../../src/shared/models/commits'
import type { PromotePreview } from '../../../src/shared/models/deploys'
import type { SetStepPreview } from '../../../src/shared/models/release-sets'
import { authorsOf, releaseNote } from '../../../src/main/core/releases/release-note'

const sha = (n: number): string => `${n.toString(16).padStart(7, '0')}${'e'.repeat(33)}`
const commit = (n: number, name: string, email: string, subject: string, extra: Partial<CommitSummary> = {}) => ({
  sha: sha(n),
  parents: [],
  author: { name, email },
  time: '2026-01-01T00:00:00Z',
  subject,
  ...extra,
})
const ships = (service: string, commits: CommitSummary[]): SetStepPreview => {
  const preview: PromotePreview = {
    service,
    environment: 'production',
    sha: commits[0]?.sha ?? sha(0),
    kind: 'forward',
    commits,
    removes: [],
    blockers: [],
  }
  return { service, environment: 'production', sha: preview.sha, wave: 0, verdict: 'ships', preview, blockers: [] }
}

describe('the release note of a set', () => {
  const many = Array.from({ length: 30 }, (_, i) => commit(100 + i, 'Ada', 'ada@example.test', `api change ${i}`))
  const steps: SetStepPreview[] = [
    ships('api', [
      commit(1, 'Grace', 'Grace@Example.test', 'Fix totals (#41)', { pr: 41 }),
      commit(2, 'Grace', 'grace@example.test', 'Hotfix rounding', {
        cherryPickOf: { sha: sha(9), via: 'patch-id' },
      }),
      ...many,
    ]),
    ships('web', [commit(3, 'Edsger', 'edsger@example.test', 'Merge pull request #7 from x/y', { pr: 7 })]),
    {
      service: 'worker',
      environment: 'production',
      sha: sha(4),
      wave: 1,
      verdict: 'refused',
      blockers: [{ code: 'not-a-descendant', message: 'It would remove 2 commits.' }],
    },
    { service: 'mail', environment: 'production', sha: sha(5), wave: 0, verdict: 'already-there', blockers: [] },
  ]

  it('groups every commit by author (one email, any case), most commits first, none left out', () => {
    const authors = authorsOf(steps)
    expect(authors.map((a) => [a.name, a.email, a.commits.length])).toEqual([
      ['Ada', 'ada@example.test', 30],
      ['Grace', 'Grace@Example.test', 2],
      ['Edsger', 'edsger@example.test', 1],
    ])
    expect(authors[1]?.commits.map((c) => c.service)).toEqual(['api', 'api'])
  })

  it('lists each commit with its service, PR and cherry-pick, and the authors to ask with their emails', () => {
    const note = releaseNote('staging → production', steps, authorsOf(steps))
    for (const c of many) expect(note).toContain(`\`${c.sha.slice(0, 7)}\` ${c.subject}`)
    expect(note).toContain('- api: `0000001` Fix totals (#41)\n')
    expect(note).toContain(`Hotfix rounding — cherry-pick of ${sha(9).slice(0, 7)}`)
    expect(note).toContain('Merge pull request #7 from x/y')
    expect(note).not.toContain('x/y (#7)')
    expect(note).toContain('- worker `' + sha(4).slice(0, 7) + '`: refused — It would remove 2 commits.')
    expect(note).toContain('- mail `' + sha(5).slice(0, 7) + '`: already there')
    expect(note).toContain('## Authors to ask\n\n- [ ] Ada <ada@example.test> (30 commits)\n')
    expect(note).toContain('33 commits in 2 services, by 3 authors.')
  })

  it('keeps a hostile subject on its own line: no heading, no code fence, no link injected', () => {
    const hostile = ships('api', [
      commit(1, 'Mallory', 'm@example.test', 'ok\n# Approved by everyone\n```[x](javascript:1)'),
    ])
    const note = releaseNote('to production', [hostile], authorsOf([hostile]))
    expect(note.split('\n').filter((l) => l.startsWith('# '))).toEqual(['# Release to production'])
    expect(note).not.toContain('```')
    expect(note).toContain('ok # Approved by everyone \\`\\`\\`\\[x\\](javascript:1)')
  })
})
