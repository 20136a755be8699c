import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { durationMinutes } from '../../../src/main/cli/coordination-commands'
import { machineIdentity, userOfGitConfig } from '../../../src/main/core/coordination/identity'
import {
  findLock,
  heldRegions,
  lockState,
  locksOn,
  regionEnvironments,
} from '../../../src/main/core/coordination/locks'
import { parseRecords, recordFile } from '../../../src/main/core/coordination/records'
import type { Lock } from '../../../src/shared/models/coordination'
import type { Workspace } from '../../../src/shared/models/workspace'

const workspace = {
  name: 'Shop',
  regions: [
    { name: 'uk', label: 'UK', path: ['dev', 'qa', 'staging', 'production-uk'], production: ['production-uk'] },
    { name: 'us', label: 'US', path: ['dev', 'qa', 'staging', 'production-us'], production: ['production-us'] },
    { name: 'all', label: 'All', path: ['dev', 'qa'], production: ['qa'] },
  ],
  environments: ['dev', 'qa', 'staging', 'production-uk', 'production-us'].map((name) => ({ name })),
  services: [{ name: 'billing' }, { name: 'checkout' }],
} as unknown as Workspace

const now = new Date('2026-12-07T12:00:00Z')
const lock = (id: string, scope: Lock['scope'], extra: Partial<Lock> = {}): Lock => ({
  id,
  scope,
  reason: 'why',
  by: { name: 'rosa' },
  at: '2026-12-07T10:00:00.000Z',
  ...extra,
})

describe('locks', () => {
  it("a region's lock covers the environments only its path has, else its production", () => {
    expect(regionEnvironments(workspace, 'us')).toEqual(['production-us'])
    expect(regionEnvironments(workspace, 'all')).toEqual(['qa'])
    expect(regionEnvironments(workspace, 'nowhere')).toEqual([])
  })

  it('applies by scope, and not once lifted or expired', () => {
    const locks = [
      lock('env', { kind: 'environment', environment: 'production-us' }),
      lock('svc', { kind: 'service', service: 'checkout', environment: 'staging' }),
      lock('region', { kind: 'region', region: 'uk' }),
      lock('gone', { kind: 'workspace' }, { lifted: { by: { name: 'sam' }, at: '2026-12-07T11:00:00.000Z' } }),
      lock('old', { kind: 'workspace' }, { expiresAt: '2026-12-07T12:00:00.000Z' }),
    ]
    const on = (service: string, environment: string) =>
      locksOn(workspace, locks, service, environment, now).map((l) => l.id)
    expect(on('billing', 'production-us')).toEqual(['env'])
    expect(on('billing', 'staging')).toEqual([])
    expect(on('checkout', 'staging')).toEqual(['svc'])
    expect(on('billing', 'production-uk')).toEqual(['region'])
    expect(on('billing', 'dev')).toEqual([])
    expect(locks.map((l) => lockState(l, now))).toEqual(['active', 'active', 'active', 'lifted', 'expired'])
    expect(lockState(locks[4] as Lock, new Date('2026-12-07T11:59:59Z'))).toBe('active')
  })

  it('holds a region for the board unless only one service is locked', () => {
    expect(
      heldRegions(
        workspace,
        [
          lock('a', { kind: 'environment', environment: 'production-us' }),
          lock('b', { kind: 'service', service: 'billing', environment: 'production-uk' }),
        ],
        now,
      ),
    ).toEqual([{ region: 'us', locks: ['a'] }])
    expect(heldRegions(workspace, [lock('w', { kind: 'workspace' })], now).map((h) => h.region)).toEqual([
      'uk',
      'us',
      'all',
    ])
  })

  it('finds a lock by its id or a unique part of it', () => {
    const locks = [
      lock('20261207T100000Z-aaa111', { kind: 'workspace' }),
      lock('20261207T100000Z-bbb222', { kind: 'workspace' }),
    ]
    expect(findLock(locks, 'bbb222').id).toBe('20261207T100000Z-bbb222')
    expect(() => findLock(locks, '20261207')).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => findLock(locks, 'ccc')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})

describe('records', () => {
  it('reads valid records and lists the files it cannot read instead of guessing', () => {
    const files = new Map([
      ['locks/a.json', recordFile(lock('a', { kind: 'workspace' }), now)],
      ['locks/b.json', '{ not json'],
      ['signoffs/c.json', JSON.stringify({ id: 'c', service: 'billing', sha: 'abc' })],
      ['future/d.json', '{}'],
    ])
    const records = parseRecords(files)
    expect(records.locks.map((l) => l.id)).toEqual(['a'])
    expect(records.locks[0]).not.toHaveProperty('updatedAt')
    expect(records.unreadable).toEqual(['future/d.json', 'locks/b.json', 'signoffs/c.json'])
  })
})

describe('identity', () => {
  it('reads [user] of a git config file, later values winning, comments and other sections ignored', () => {
    const text = [
      '[core]',
      '  name = not-this',
      '[user]',
      '  name = Rosa Diaz ; from the laptop',
      '  email = "rosa@acme.test"',
      '[user "x"]',
      '  email = rosa.diaz@acme.test',
    ].join('\n')
    expect(userOfGitConfig(text)).toEqual({ name: 'Rosa Diaz', email: 'rosa@acme.test' })
    expect(userOfGitConfig(`${text}\n[user]\n  email = r@acme.test\n`).email).toBe('r@acme.test')
  })

  it('takes GIT_AUTHOR_* first, then the global git config, then the OS user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainyard-identity-'))
    try {
      const config = join(dir, 'gitconfig')
      writeFileSync(config, '[user]\n\tname = Mei Chen\n\temail = mei@acme.test\n')
      expect(await machineIdentity({ GIT_CONFIG_GLOBAL: config }, dir)).toEqual({
        name: 'Mei Chen',
        email: 'mei@acme.test',
      })
      expect(await machineIdentity({ GIT_CONFIG_GLOBAL: config, GIT_AUTHOR_NAME: 'Sam' }, dir)).toEqual({
        name: 'Sam',
        email: 'mei@acme.test',
      })
      const none = await machineIdentity({ GIT_CONFIG_GLOBAL: join(dir, 'missing') }, dir)
      expect(none.name).not.toBe('')
      expect(none.email).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('durations on the command line', () => {
  it('reads minutes, hours, days and weeks', () => {
    expect([durationMinutes('90'), durationMinutes('45m'), durationMinutes('2h'), durationMinutes('1d')]).toEqual([
      90, 45, 120, 1440,
    ])
    expect(() => durationMinutes('soon')).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })
})
