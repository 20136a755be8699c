import { describe, expect, it } from 'vitest'
import { resolveAgain, resolveDeployedSha } from '../../../src/main/core/environments/probes/resolve-sha'
import type { ProbeResult } from '../../../src/shared/models/environments'
import { AppError } from '../../../src/shared/errors'

const A = 'abcdef0123456789abcdef0123456789abcdef01'
const B = 'abcdef9999999999999999999999999999999999'
const commits = [A, B]
const resolveSha = (_service: string, prefix: string): string[] => commits.filter((c) => c.startsWith(prefix))
const refs = (): Promise<Map<string, string>> => Promise.resolve(new Map([['refs/tags/release_12', A]]))

async function code(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  return e instanceof AppError ? e.code : 'no-error'
}

describe('resolveDeployedSha', () => {
  it('expands a unique prefix of at least 6 hex digits, case-insensitively', async () => {
    expect(await resolveDeployedSha('web', 'ABCDEF01', { resolveSha })).toBe(A)
    expect(await resolveDeployedSha('web', A, { resolveSha })).toBe(A)
  })
  it('reports several candidates as ambiguous, with them in details', async () => {
    const e: unknown = await resolveDeployedSha('web', 'abcdef', { resolveSha }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('ambiguous-sha')
    expect((e as AppError).details).toEqual({ candidates: [A, B] })
  })
  it('suggests a fetch when the clone lacks the commit', async () => {
    const e: unknown = await resolveDeployedSha('web', '1234567', { resolveSha }).catch((x: unknown) => x)
    expect((e as AppError).code).toBe('sha-not-in-clone')
    expect((e as AppError).message).toMatch(/fetch/)
  })
  it('resolves a tag name through the refs and rejects what is neither', async () => {
    expect(await resolveDeployedSha('web', 'release_12', { resolveSha, refs })).toBe(A)
    expect(await code(resolveDeployedSha('web', 'release_13', { resolveSha, refs }))).toBe('sha-not-in-clone')
    expect(await code(resolveDeployedSha('web', 'abc', { resolveSha }))).toBe('bad-response')
  })
  it('trusts a full SHA and leaves a short one unresolved without a clone', async () => {
    expect(await resolveDeployedSha('web', A, {})).toBe(A)
    expect(await resolveDeployedSha('web', 'abcdef0', {})).toBeUndefined()
  })
})

describe('resolveAgain', () => {
  const unread = (raw: string): ProbeResult => ({
    service: 'web',
    environment: 'qa',
    raw,
    asOf: '2026-01-01T00:00:00Z',
    cached: false,
    error: { code: 'sha-not-in-clone', message: 'not in the clone yet' },
  })
  it('resolves a value read before the clone knew it, by the same rules (prefix, tag), and drops the error', async () => {
    expect(await resolveAgain(unread('ABCDEF01'), { resolveSha, refs })).toEqual({
      service: 'web',
      environment: 'qa',
      raw: 'ABCDEF01',
      sha: A,
      asOf: '2026-01-01T00:00:00Z',
      cached: false,
    })
    expect((await resolveAgain(unread('release_12'), { resolveSha, refs })).sha).toBe(A)
  })
  it('leaves what still cannot be resolved, and results that had another error, as they were', async () => {
    const ambiguous = unread('abcdef')
    expect(await resolveAgain(ambiguous, { resolveSha, refs })).toBe(ambiguous)
    const timedOut = { ...unread(A), error: { code: 'timeout' as const, message: 'slow' } }
    expect(await resolveAgain(timedOut, { resolveSha, refs })).toBe(timedOut)
  })
})
