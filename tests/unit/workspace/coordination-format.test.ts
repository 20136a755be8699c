import { describe, expect, it } from 'vitest'
import type { WorkspaceProblem } from '../../../src/shared/api/views'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'
import { stringifyWorkspace } from '../../../src/shared/workspace/stringify-workspace'

const file = '/teams/shop/shop.trainyard.yaml'

/** A valid workspace with coordination, webhooks and sign-off rules (line numbers in comments). */
const valid = [
  'version: 1', // 1
  'name: Shop', // 2
  'services:', // 3
  '  - name: web', // 4
  '    repo: https://git.shop.test/web.git', // 5
  'environments:', // 6
  '  qa:', // 7
  '    probe: none', // 8
  '  prod:', // 9
  '    probe: none', // 10
  '    requireSignoff: [qa]', // 11
  'regions:', // 12
  '  main: { path: [qa, prod] }', // 13
  'coordination: { repo: https://git.shop.test/release.git, credential: git-shop }', // 14
  'webhooks:', // 15
  '  chat: { format: slack, credential: chat-webhook }', // 16
]

function withLine(line: number, text: string): string {
  const lines = [...valid]
  lines.splice(line - 1, 1, text)
  return lines.join('\n') + '\n'
}

function only(text: string): WorkspaceProblem {
  const parsed = parseWorkspace(text, file)
  expect(parsed.workspace).toBeNull()
  expect(parsed.problems, JSON.stringify(parsed.problems, null, 1)).toHaveLength(1)
  return parsed.problems[0] as WorkspaceProblem
}

describe('coordination, webhooks and requireSignoff in the workspace file', () => {
  it('reads them with their defaults', () => {
    const parsed = parseWorkspace(valid.join('\n'), file)
    expect(parsed.problems).toEqual([])
    expect(parsed.workspace?.coordination).toEqual({
      repo: 'https://git.shop.test/release.git',
      credential: 'git-shop',
      ref: 'refs/trainyard/coordination',
      staleAfterMinutes: 15,
    })
    expect(parsed.workspace?.webhooks).toEqual([
      {
        name: 'chat',
        format: 'slack',
        credential: 'chat-webhook',
        events: ['started', 'succeeded', 'failed', 'rolled-back', 'locked', 'unlocked'],
      },
    ])
    expect(parsed.workspace?.environments.find((e) => e.name === 'prod')?.requireSignoff).toEqual(['qa'])
    expect(parsed.workspace?.environments.find((e) => e.name === 'qa')?.requireSignoff).toBeUndefined()
  })

  it('writes them back: the writer and the reader agree', () => {
    const text = withLine(
      14,
      'coordination: { repo: https://git.shop.test/release.git, ref: refs/meta/release, staleAfterMinutes: 5 }',
    ).replace('format: slack, credential: chat-webhook', 'format: json, credential: chat-webhook, events: [locked]')
    const original = parseWorkspace(text, file).workspace
    expect(original?.coordination?.ref).toBe('refs/meta/release')
    expect(original?.webhooks?.[0]?.events).toEqual(['locked'])
    if (!original) return
    const again = parseWorkspace(stringifyWorkspace(original), file)
    expect(again.problems).toEqual([])
    expect(again.workspace).toEqual(original)
  })

  it('refuses a ref on a branch, where people push', () => {
    const problem = only(withLine(14, 'coordination: { repo: https://git.shop.test/r.git, ref: refs/heads/locks }'))
    expect(problem.line).toBe(14)
    expect(problem.message).toContain('outside branches and tags')
    expect(problem.hint).toContain('refs/trainyard/coordination')
  })

  it('refuses a webhook URL written in the file and says where it goes instead, without repeating it', () => {
    const url = 'https://chat.shop.test/hooks/T0/B0/abcdef'
    const problem = only(withLine(16, `  chat: { format: slack, credential: chat-webhook, url: "${url}" }`))
    expect(problem).toMatchObject({
      line: 16,
      message: 'the URL of webhook `chat` is a secret and does not belong in the workspace file',
    })
    expect(problem.hint).toContain('trainyard credentials set chat-webhook')
    expect(JSON.stringify(problem)).not.toContain('abcdef')
  })

  it('reports an unknown webhook event with the nearest one, and an unknown format', () => {
    expect(only(withLine(16, '  chat: { format: slack, credential: c, events: [lockd] }'))).toMatchObject({
      line: 16,
      message: 'unknown webhook event `lockd` in webhook `chat`',
      hint: 'did you mean `locked`?',
    })
    expect(only(withLine(16, '  chat: { format: teams, credential: c }'))).toMatchObject({
      line: 16,
      hint: 'use `slack` or `json`',
    })
  })

  it('reports requireSignoff naming an undefined environment at its line', () => {
    expect(only(withLine(11, '    requireSignoff: [qa, stagng]'))).toMatchObject({
      line: 11,
      message: 'requireSignoff of environment `prod` names environment `stagng`, which is not defined',
    })
  })

  it('reports coordination without a repo', () => {
    expect(only(withLine(14, 'coordination: { credential: git-shop }'))).toMatchObject({
      line: 14,
      message: '`coordination` is missing `repo`',
    })
  })
})
