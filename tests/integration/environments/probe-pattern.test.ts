import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const child = fileURLToPath(new URL('./probe-pattern-child.ts', import.meta.url))

describe('a probe pattern that backtracks forever', () => {
  it('is stopped after its time limit with invalid-workspace, and the process goes on probing', async () => {
    // In a child process: a regex that never stops blocks its event loop, so only another process can give up
    // on it. 120 s is a guard on a loaded machine; the probe is stopped after 1 s.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child], {
      cwd: root,
      timeout: 120_000,
    }).catch((error: { killed?: boolean; stderr?: string }) => {
      throw new Error(error.killed ? 'the probe froze its process' : (error.stderr ?? 'the child failed'))
    })
    const { evil, next } = JSON.parse(stdout) as {
      evil: { error?: { code: string; message: string } }
      next: { raw: string }
    }
    expect(evil.error?.code).toBe('invalid-workspace')
    expect(evil.error?.message).toMatch(/its pattern "\(a\+\)\+\$" ran for more than 1 s .* and was stopped/)
    expect(next).toEqual({ raw: '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c' })
  }, 150_000)
})
