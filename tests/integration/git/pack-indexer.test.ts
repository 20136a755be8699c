import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consolidatePacks } from '../../../src/main/core/git/clone/pack-upkeep'
import { ObjectStore } from '../../../src/main/core/git/objects/object-store'
import { PackReceiver } from '../../../src/main/core/git/objects/pack-receiver'
import { AppError } from '../../../src/shared/errors'
import { assertGitAccepts, strayPackFiles } from '../../support/clone-oracle'
import { cloneRepo, createRepo, removeDir, runGit, tmpDir, type TestRepo } from '../../support/git-repo'
import { seededRandom } from '../../../src/shared/seeded-random'

// The pack indexer against `git index-pack`: for packs git wrote, our `.idx` must be byte for byte git's,
// however the stream is cut into pieces; a pack with any byte changed must be refused, never indexed.

let repo: TestRepo
let work: string

// Packs are bytes: run pack-objects without the text decoding runGit does.
function rawPack(args: string[], input: string): Buffer {
  return execFileSync('git', ['pack-objects', '--stdout', '-q', ...args], { cwd: repo.path, input, maxBuffer: 1 << 30 })
}

/** Feeds `data` to a receiver in pieces of random sizes; returns the installed pack's name. */
async function receive(dir: string, data: Buffer, seed: number, external?: ObjectStore): Promise<string> {
  const random = seededRandom(seed)
  const receiver = await PackReceiver.open(dir)
  let received
  try {
    for (let at = 0; at < data.length;) {
      const size = 1 + Math.floor(random() * (random() < 0.2 ? 20 : 9000))
      receiver.push(data.subarray(at, at + size))
      at += size
    }
    received = await receiver.finish(external ? { external: (oid) => external.read(oid.toString('hex')) } : {})
  } catch (error) {
    // What the transfer does when the stream fails: the receiver removes what it wrote.
    await receiver.discard()
    throw error
  }
  return received.name as string
}

/** The `.idx` git's own index-pack writes for a pack. */
function gitIndex(data: Buffer, name: string): Buffer {
  const dir = tmpDir('trainyard-gitidx-')
  try {
    const path = join(dir, `${name}.pack`)
    writeFileSync(path, data)
    runGit(dir, ['index-pack', path])
    return readFileSync(join(dir, `${name}.idx`))
  } finally {
    removeDir(dir)
  }
}

beforeAll(() => {
  work = tmpDir()
  repo = createRepo({ dir: join(work, 'repo') })
  for (let i = 0; i < 80; i++) {
    const body = Array.from({ length: 300 + i }, (_, k) => `line ${k}${k === i ? ' edited' : ''}\n`).join('')
    repo.commit(`Commit ${i}`, { 'big.txt': body, [`small/${i % 9}.txt`]: `${i}\n`, [`n${i}.txt`]: 'x'.repeat(i) })
  }
  repo.tag('v1', { message: 'Tagged' })
  repo.git('repack', '-adq', '--depth=100')
})

afterAll(() => removeDir(work))

describe('the pack indexer', () => {
  for (const [label, args] of [
    ['OFS_DELTA', ['--all', '--delta-base-offset']],
    ['REF_DELTA', ['--all']],
  ] as const) {
    it(`writes git's own .idx for a ${label} pack, whatever the pieces it arrives in`, async () => {
      const data = rawPack([...args], '')
      for (const seed of [1, 2, 3]) {
        const dir = tmpDir('trainyard-pack-')
        const name = await receive(dir, data, seed)
        expect(readFileSync(join(dir, `${name}.idx`)).equals(gitIndex(data, name))).toBe(true)
        runGit(dir, ['verify-pack', `${name}.idx`])
        removeDir(dir)
      }
    })
  }

  it('completes a thin pack from the repository and seals it with a new count and checksum', async () => {
    const data = rawPack(['--revs', '--thin', '--delta-base-offset'], 'HEAD\n^HEAD~20\n')
    const old = cloneRepo(repo.path, { bare: true })
    old.git('update-ref', 'refs/heads/master', 'HEAD~20')
    old.git('repack', '-adq')
    old.git('prune', '--expire=now')
    const store = new ObjectStore(old.gitdir)
    const packDir = join(old.gitdir, 'objects', 'pack')
    try {
      const name = await receive(packDir, data, 9, store)
      const count = readFileSync(join(packDir, `${name}.pack`)).readUInt32BE(8)
      expect(count).toBeGreaterThan(data.readUInt32BE(8))
    } finally {
      store.close()
    }
    old.git('update-ref', 'refs/heads/master', repo.head())
    assertGitAccepts(old.gitdir)
    expect(strayPackFiles(old.gitdir)).toEqual([])
    old.cleanup()
  })

  it('refuses a pack with any one byte changed, and leaves nothing behind', async () => {
    const data = rawPack(['--all', '--delta-base-offset'], '')
    const random = seededRandom(5)
    for (let k = 0; k < 40; k++) {
      const at = k === 0 ? data.length - 1 : Math.floor(random() * data.length)
      const bad = Buffer.from(data)
      bad[at] = (bad[at] as number) ^ (1 << Math.floor(random() * 8))
      const dir = tmpDir('trainyard-pack-')
      const error: unknown = await receive(dir, bad, k).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error, `byte ${at}`).toBeInstanceOf(AppError)
      expect(readdirSync(dir)).toEqual([])
      removeDir(dir)
    }
  })

  it('merges piled-up packs into one, keeping each object once and every delta valid', async () => {
    const many = cloneRepo(repo.path, { bare: true })
    // Packs of overlapping history, so the same objects sit in several packs (as thin fetches leave them).
    for (const back of [60, 40, 25, 10, 0]) {
      const input = `HEAD~${back}\n`
      const data = rawPack(['--revs', '--delta-base-offset'], input)
      await receive(join(many.gitdir, 'objects', 'pack'), data, back)
    }
    const before = runGit(many.gitdir, ['cat-file', '--batch-all-objects', '--batch-check']).trim().split('\n').sort()
    expect(await consolidatePacks(many.gitdir, 3)).toBe(true)
    const packs = readdirSync(join(many.gitdir, 'objects', 'pack')).filter((n) => n.endsWith('.pack'))
    expect(packs.length).toBeLessThanOrEqual(2)
    assertGitAccepts(many.gitdir)
    expect(runGit(many.gitdir, ['cat-file', '--batch-all-objects', '--batch-check']).trim().split('\n').sort()).toEqual(
      before,
    )
    expect(strayPackFiles(many.gitdir)).toEqual([])
    many.cleanup()
  })
})
