import { describe, expect, it } from 'vitest'
import { resolveDeployedSha } from '../../../src/main/core/environments/probes/resolve-sha'
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
