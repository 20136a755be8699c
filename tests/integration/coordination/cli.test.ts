import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lock, Signoff, Watch } from '../../../src/shared/models/coordination'
import { TeamEstate, type Teammate } from './team-estate'

const run = promisify(execFile)
const root = join(import.meta.dirname, '../../..')
const bin = join(root, 'bin/trainyard.mjs')

describe('the coordination commands of the CLI, as a teammate in another process', () => {
  const estate = new TeamEstate()
  let sam: Teammate

  /** Runs the CLI as rosa, with a Trainyard home of her own and her git identity; never throws on a non-zero exit. */
  async function rosa(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args, '--workspace', estate.file], {
        cwd: root,
        env: {
          ...process.env,
          TRAINYARD_HOME: join(estate.dir, 'homes', 'rosa-cli'),
          GIT_AUTHOR_NAME: 'rosa',
          GIT_AUTHOR_EMAIL: 'rosa@acme.test',
        },
        timeout: 120_000,
      })
      return { code: 0, stdout, stderr }
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string }
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
    }
  }

  beforeAll(async () => {
    await estate.start()
    sam = await estate.teammate('sam')
  }, 120_000)

  afterAll(() => estate.close())

  it('lock, locks, a refused promote, signoff, watch and unlock', async () => {
    const locked = await rosa([
      'lock',
      'production-us',
      '--service',
      'billing',
      '--reason',
      'Incident 7: refunds failing',
      '--expires',
      '2h',
      '--link',
      'https://status.acme.test/7',
      '--json',
    ])
    expect(locked.code, locked.stderr).toBe(0)
    const lock = JSON.parse(locked.stdout) as Lock
    expect(lock).toMatchObject({
      scope: { kind: 'service', service: 'billing', environment: 'production-us' },
      by: { name: 'rosa', email: 'rosa@acme.test' },
      link: 'https://status.acme.test/7',
    })
    expect(Date.parse(lock.expiresAt ?? '') - Date.parse(lock.at)).toBe(2 * 3600_000)

    const seen = await sam.cockpit.invoke('coordination.state', { refresh: true })
    expect(seen.locks.map((l) => [l.id, l.by.name, l.state])).toEqual([[lock.id, 'rosa', 'active']])

    const listed = await rosa(['locks'])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain('Shared through')
    expect(listed.stdout).toContain('billing in production-us')
    expect(listed.stdout).toContain('Incident 7: refunds failing')

    const refused = await rosa(['promote', 'billing', estate.shas.next.slice(0, 10), '--to', 'production-us'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('billing in production-us is locked by rosa')
    expect(refused.stderr).toContain('--override-lock')

    const signed = await rosa(['signoff', 'billing', '#21', '--env', 'qa', '--note', 'smoke tests green', '--json'])
    expect(signed.code, signed.stderr).toBe(0)
    expect(JSON.parse(signed.stdout) as Signoff).toMatchObject({ sha: estate.shas.signed, environment: 'qa' })
    expect((await sam.cockpit.invoke('coordination.state', { refresh: true })).signoffs).toEqual([
      expect.objectContaining({ sha: estate.shas.signed, note: 'smoke tests green' }),
    ])

    const watched = await rosa(['watch', '#22', '--env', 'production-us', '--json'])
    expect(watched.code, watched.stderr).toBe(0)
    const watch = JSON.parse(watched.stdout) as Watch
    expect(watch).toMatchObject({ query: '#22', environment: 'production-us' })

    const lifted = await rosa(['unlock', lock.id.slice(-6)])
    expect(lifted.code, lifted.stderr).toBe(0)
    expect(lifted.stdout).toContain(`Lifted the lock on billing in production-us (${lock.id})`)
    const after = await sam.cockpit.invoke('coordination.state', { refresh: true })
    expect(after.locks.map((l) => [l.state, l.lifted?.by.name])).toEqual([['lifted', 'rosa']])
  }, 240_000)

  it('says what to write when a lock has no reason or no target', async () => {
    const bare = await rosa(['lock', 'production-us'])
    expect(bare.code).toBe(1)
    expect(bare.stderr).toContain('--reason')
    const nothing = await rosa(['lock', '--reason', 'x'])
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toContain('Say what to lock')
  })
})
