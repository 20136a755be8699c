import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'
import { regexHazard } from '../../../src/main/core/workspace/regex-hazards'
import { boundedMatch, MAX_MATCH_INPUT } from '../../../src/main/core/integrations/version-page/bounded-match'

const file = fileURLToPath(new URL('../../fixtures/workspaces/catastrophic-regex.trainyard.yaml', import.meta.url))

describe('probe patterns that backtrack catastrophically', () => {
  it('are refused by the workspace reader at their line, with a hint', () => {
    const { workspace, problems } = parseWorkspace(readFileSync(file, 'utf8'), file)
    expect(workspace).toBeNull()
    expect(problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [
        9,
        68,
        '"(a+)+$" can keep the probe busy for minutes on an answer that almost matches: `(a+)+` repeats a group that itself repeats (`a+`)',
      ],
      [
        11,
        67,
        '"commit: ((\\s|.)*)$" can keep the probe busy for minutes on an answer that almost matches: `(\\s|.)*` repeats a choice whose alternatives can match the same text',
      ],
    ])
    expect(problems[0]?.hint).toMatch(/`\[0-9a-f\]\+`, not `\(\[0-9a-f\]\+\)\+`/)
  })

  it('are told apart from the patterns probes use', () => {
    const hazardous = ['(a+)+$', '(.*)*', '(a*)*b', '^(\\w+\\s?)+$', '(a|a?)+', '(\\d|\\w)+', '(x+x+)+y', '(?:(a+))+']
    const fine = [
      'commit ([0-9a-f]{40})',
      '"sha":\\s*"([0-9a-f]+)"',
      '^revision: ([0-9a-f]+)$',
      'version: (\\S+)',
      '(foo|bar)+',
      '([0-9a-f]{2})+',
      '(?<sha>[0-9a-f]{7,40})',
      '[^]+',
      '(?=a)+b',
    ]
    expect(hazardous.filter((p) => regexHazard(p) === undefined)).toEqual([])
    expect(fine.filter((p) => regexHazard(p) !== undefined)).toEqual([])
  })
})

describe('a probe pattern at run time', () => {
  it('looks only at the first MAX_MATCH_INPUT characters of an answer', () => {
    const sha = 'a'.repeat(40)
    expect(boundedMatch('commit ([0-9a-f]{40})', `${'x'.repeat(1000)}\ncommit ${sha}`, 'probe')).toBe(sha)
    expect(boundedMatch('commit ([0-9a-f]{40})', `${'x'.repeat(MAX_MATCH_INPUT)}\ncommit ${sha}`, 'probe')).toBe(
      undefined,
    )
    expect(boundedMatch('^rev: (\\w+)$', 'a\nrev: abc123\nb', 'probe')).toBe('abc123')
  })
})
