import * as fs from 'node:fs'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStore } from '../../../src/main/core/coordination/record-store'
import { recordFile, recordPath } from '../../../src/main/core/coordination/records'
import { Clones } from '../../../src/main/core/git/clone/clones'
import { demoCoordinationGitdir, seedCoordination } from '../../../src/main/demo/coordination-seed'
import { startDemoGitServer, type DemoGitServer } from '../../../src/main/demo/git-server'
import type { AppError } from '../../../src/shared/errors'
import { removeDir, runGit, tmpDir } from '../../support/git-repo'

const REF = 'refs/trainyard/coordination'
const TOKEN = 'demo-git-token-coordination-42'
const SHA = 'a'.repeat(40)

/*
 * The demo's coordination repository on the demo's own git server: seeded with a sign-off and a freeze, fetched and
 * written by the same store the app uses; a push needs the server's token (git CLI as the oracle on the served repo).
 */
describe("the demo's coordination repository", () => {
  let dir: string
  let server: DemoGitServer

  function store(name: string, credential?: string): RecordStore {
    const clones = new Clones({
      root: join(dir, name),
      secret: (n) => Promise.resolve(n === 'demo-git' ? TOKEN : undefined),
    })
    const source = {
      service: 'coordination',
      url: `${server.url}/coordination.git`,
      ...(credential ? { credential } : {}),
    }
    return new RecordStore({
      gitdir: clones.gitdir('coordination'),
      cache: () => clones.cache('coordination'),
      ref: REF,
      remote: {
        fetch: () => clones.fetchRef(source, REF),
        push: (sha, expected) => clones.pushRef(source, { ref: REF, sha, expectedRemoteSha: expected }),
      },
      clock: () => new Date('2026-12-07T12:00:00Z'),
      identity: { name: name, email: `${name}@acme.example` },
    })
  }

  beforeAll(async () => {
    dir = tmpDir('trainyard-demo-coordination-')
    const deploy = {
      service: 'billing',
      environment: 'qa',
      sha: SHA,
      at: '2026-12-07T08:00:00.000Z',
      result: 'succeeded' as const,
      by: 'dev',
    }
    await seedCoordination(dir, [deploy], new Date('2026-12-07T12:00:00Z'))
    await git.init({ fs, gitdir: join(dir, 'origin', 'empty.git'), bare: true })
    server = await startDemoGitServer(join(dir, 'origin'), { token: TOKEN })
  })

  afterAll(async () => {
    await server.close()
    removeDir(dir)
  })

  it('serves the seeded records to anyone', async () => {
    const records = await store('anyone').fetch()
    expect(records.signoffs).toEqual([expect.objectContaining({ service: 'billing', sha: SHA, environment: 'qa' })])
    expect(records.locks).toEqual([
      expect.objectContaining({ scope: { kind: 'service', service: 'notifications', environment: 'production-us' } }),
    ])
    expect(records.unreadable).toEqual([])
  })

  it('takes a write with the demo token, and refuses one without it, changing nothing', async () => {
    const lock = (id: string) => () => [
      {
        path: recordPath('locks', id),
        content: recordFile(
          { id, scope: { kind: 'workspace' }, reason: 'demo', by: { name: 'x' }, at: '2026-12-07T12:00:00.000Z' },
          new Date('2026-12-07T12:00:00Z'),
        ),
      },
    ]
    const head = runGit(demoCoordinationGitdir(dir), ['rev-parse', REF]).trim()
    const refused: unknown = await store('anon')
      .write('lock', lock('anon'))
      .catch((e: unknown) => e)
    expect((refused as AppError).code).toBe('auth-failed')
    expect((refused as AppError).message).toMatch(/^not shared: .*; nothing changed\.$/)
    expect(runGit(demoCoordinationGitdir(dir), ['rev-parse', REF]).trim()).toBe(head)

    await store('rosa', 'demo-git').write('lock everything', lock('rosa'))
    const served = runGit(demoCoordinationGitdir(dir), ['ls-tree', '-r', '--name-only', REF]).trim().split('\n')
    expect(served).toContain('locks/rosa.json')
    expect(runGit(demoCoordinationGitdir(dir), ['log', '-1', '--format=%an %s', REF]).trim()).toBe(
      'rosa lock everything',
    )
    expect(runGit(demoCoordinationGitdir(dir), ['fsck', '--no-dangling']).trim()).toBe('')
  })

  it('a repository with no ref at all answers with none', async () => {
    const clones = new Clones({ root: join(dir, 'empty-clone'), secret: () => Promise.resolve(undefined) })
    expect(await clones.fetchRef({ service: 'coordination', url: `${server.url}/empty.git` }, REF)).toBeUndefined()
  })
})
