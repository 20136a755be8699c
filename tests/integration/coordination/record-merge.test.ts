import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStore, type StoreRemote } from '../../../src/main/core/coordination/record-store'
import { recordFile, recordPath } from '../../../src/main/core/coordination/records'
import { Clones } from '../../../src/main/core/git/clone/clones'
import type { Lock } from '../../../src/shared/models/coordination'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { removeDir, runGit, tmpDir } from '../../support/git-repo'

const REF = 'refs/trainyard/coordination'

/*
 * Two writers against one repository served by git http-backend, with the race forced: the second writer's push
 * waits until the first writer's whole write has landed, so its lease is always broken and it must fetch and merge.
 */
describe('records written at the same moment are merged record by record', () => {
  let dir: string
  let server: GitHttpServer
  const bare = () => join(dir, 'served', 'team.git')

  function store(name: string, at: () => Date, gate?: () => Promise<void>): RecordStore {
    const clones = new Clones({ root: join(dir, name), secret: () => Promise.resolve(undefined) })
    const source = { service: 'coordination', url: server.repoUrl('team') }
    const remote: StoreRemote = {
      fetch: () => clones.fetchRef(source, REF),
      push: async (sha, expected) => {
        await gate?.()
        return clones.pushRef(source, { ref: REF, sha, expectedRemoteSha: expected })
      },
    }
    return new RecordStore({
      gitdir: clones.gitdir('coordination'),
      cache: () => clones.cache('coordination'),
      ref: REF,
      remote,
      clock: at,
      identity: { name, email: `${name}@acme.test` },
    })
  }

  const lock = (id: string, reason: string, at: string): Lock => ({
    id,
    scope: { kind: 'environment', environment: 'production-us' },
    reason,
    by: { name: 'x' },
    at,
  })

  beforeAll(async () => {
    dir = tmpDir('trainyard-merge-')
    runGit(dir, ['init', '-q', '--bare', bare()])
    server = await startGitHttpServer({ root: join(dir, 'served') })
  })

  afterAll(async () => {
    await server.close()
    removeDir(dir)
  })

  /** Runs `second` so that its push happens only after `first` has been shared. */
  async function race(first: () => Promise<unknown>, second: (gate: () => Promise<void>) => Promise<unknown>) {
    let release: () => void = () => undefined
    const landed = new Promise<void>((resolve) => (release = resolve))
    let pushes = 0
    const gate = async () => {
      if (pushes++ === 0) await landed
    }
    const late = second(gate)
    await first()
    release()
    await late
    return pushes
  }

  it('different records: both are kept, in a merge commit with both writes as parents', async () => {
    const a = store('a', () => new Date('2026-12-07T10:00:00Z'))
    let b!: RecordStore
    const pushes = await race(
      () =>
        a.write('lock one', () => [
          {
            path: recordPath('locks', 'one'),
            content: recordFile(lock('one', 'from a', '2026-12-07T10:00:00.000Z'), new Date('2026-12-07T10:00:00Z')),
          },
        ]),
      (gate) => {
        b = store('b', () => new Date('2026-12-07T10:00:01Z'), gate)
        return b.write('lock two', () => [
          {
            path: recordPath('locks', 'two'),
            content: recordFile(lock('two', 'from b', '2026-12-07T10:00:01.000Z'), new Date('2026-12-07T10:00:01Z')),
          },
        ])
      },
    )
    expect(pushes).toBe(2)
    const files = runGit(bare(), ['ls-tree', '-r', '--name-only', REF]).trim().split('\n')
    expect(files).toEqual(['locks/one.json', 'locks/two.json'])
    const parents = runGit(bare(), ['rev-list', '--parents', '-n', '1', REF]).trim().split(' ')
    expect(parents).toHaveLength(3)
    expect(runGit(bare(), ['log', '--format=%an: %s', REF]).trim().split('\n')).toEqual([
      'b: Merge: lock two',
      'b: lock two',
      'a: lock one',
    ])
    expect((await b.read()).locks.map((l) => l.id)).toEqual(['one', 'two'])
  })

  it('the same record changed on both sides: the later write wins and both versions stay in history', async () => {
    // b writes later by its clock but pushes second; then the other way round.
    for (const [laterFirst, winner] of [
      [false, 'b at 11:00:05'],
      [true, 'a at 11:00:09'],
    ] as const) {
      const aTime = laterFirst ? '2026-12-07T11:00:09Z' : '2026-12-07T11:00:00Z'
      const bTime = '2026-12-07T11:00:05Z'
      const write = (who: string, when: string) => () => [
        {
          path: recordPath('locks', 'one'),
          content: recordFile(
            lock('one', `${who} at ${when.slice(11, 19)}`, '2026-12-07T10:00:00.000Z'),
            new Date(when),
          ),
        },
      ]
      const a = store('a', () => new Date(aTime))
      await race(
        () => a.write('change one (a)', write('a', aTime)),
        (gate) => store('b', () => new Date(bTime), gate).write('change one (b)', write('b', bTime)),
      )
      const reason = (JSON.parse(runGit(bare(), ['show', `${REF}:locks/one.json`])) as { reason: string }).reason
      expect(reason).toBe(winner)
      // Every version the file ever had, on every side of every merge.
      const versions = runGit(bare(), ['log', '--full-history', '--format=%H', REF, '--', 'locks/one.json'])
        .trim()
        .split('\n')
        .map((sha) => (JSON.parse(runGit(bare(), ['show', `${sha}:locks/one.json`])) as { reason: string }).reason)
      expect(versions).toEqual(expect.arrayContaining([`a at ${aTime.slice(11, 19)}`, `b at ${bTime.slice(11, 19)}`]))
    }
  })
})
