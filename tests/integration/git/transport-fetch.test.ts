import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Clones, type RepoSource } from '../../../src/main/core/git/clone/clones'
import { PACK_LIMIT } from '../../../src/main/core/git/clone/pack-upkeep'
import { readCloneRefs } from '../../../src/main/core/git/clone/refs'
import { openCommitIndexWithSource } from '../../../src/main/core/git/commit-index-open'
import { assertGitAccepts, gitGraph, indexGraph, strayPackFiles } from '../../support/clone-oracle'
import { rejection } from '../../support/rejection'
import type { GitHttpServer } from '../../support/git-http-server'
import { serveRepo, type ServedRepo } from '../../support/served-repo'
import { removeDir, runGit, tmpDir, type TestRepo } from '../../support/git-repo'
import { withExtraRef, withPackByteFlipped } from '../../support/pkt-lines'

// Fetches by the streaming transport: a thin pack completed from the clone, only the new pack written, the
// index updated with only the new commits; a cut, a corrupt pack or a bad ref name never harms the clone.

let repo: ServedRepo
let source: TestRepo
let served: string
let server: GitHttpServer
let root: string
let clones: Clones
let warnings: string[]
let round = 0
const app = (): RepoSource => ({ service: 'app', url: server.repoUrl('app') })

function packs(gitdir: string): string[] {
  return readdirSync(join(gitdir, 'objects', 'pack'))
    .filter((n) => n.endsWith('.pack'))
    .sort()
}

/** Commits that rewrite a little of files the clone already has, so the server deltifies against them. */
function push(commits = 4): void {
  round++
  for (let i = 0; i < commits; i++) {
    const body = Array.from({ length: 400 }, (_, k) => `row ${k} ${k === round * 7 + i ? `round ${round}` : 'same'}\n`)
    source.commit(`Round ${round}.${i}`, { 'table.txt': body.join(''), [`r${round}.txt`]: `${round}.${i}\n` })
  }
  source.tag(`r${round}`, { message: `Round ${round}` })
  source.git('push', '-q', '--mirror', served)
}

async function cloneRefs(): Promise<Map<string, string>> {
  return (await readCloneRefs(clones.gitdir('app'))).refs
}

beforeAll(async () => {
  repo = await serveRepo((s) => {
    for (let i = 0; i < 30; i++) {
      const body = Array.from({ length: 400 }, (_, k) => `row ${k} ${k === i ? 'start' : 'same'}\n`)
      s.commit(`Start ${i}`, { 'table.txt': body.join(''), [`s${i % 5}.txt`]: `${i}\n` })
    }
    s.tag('v1', { message: 'One' })
  })
  ;({ source, served, server } = repo)
})

afterAll(() => repo.close())

beforeEach(async () => {
  root = tmpDir('trainyard-clones-')
  warnings = []
  clones = new Clones({ root, secret: () => Promise.resolve(undefined), onWarning: (m) => warnings.push(m) })
  await clones.open(app())
  await openCommitIndexWithSource({ gitdir: clones.gitdir('app'), cacheFile: join(root, 'index.bin') })
  return () => removeDir(root)
})

describe('fetch by the streaming transport', () => {
  it('takes a thin pack, completes it from the clone, adds one pack and indexes only the new commits', async () => {
    const gitdir = clones.gitdir('app')
    const before = packs(gitdir)
    push(5)
    await clones.fetch(app())
    const request = server.requests.filter((r) => r.upload).at(-1)?.upload
    expect(request?.capabilities).toContain('thin-pack')
    expect(request?.haves).toBeGreaterThan(0)
    const after = packs(gitdir)
    expect(after.length).toBe(before.length + 1)
    expect(after).toEqual(expect.arrayContaining(before))
    // A thin pack's missing bases were appended from the clone: the new pack repeats objects of the old one.
    const added = after.find((p) => !before.includes(p)) as string
    const fresh = names(gitdir, added)
    const old = names(gitdir, before[0] as string)
    expect([...fresh].filter((sha) => old.has(sha)).length).toBeGreaterThan(0)
    assertGitAccepts(gitdir)
    expect(strayPackFiles(gitdir)).toEqual([])
    const opened = await openCommitIndexWithSource({ gitdir, cacheFile: join(root, 'index.bin') })
    expect(opened.source).toBe('updated')
    expect(opened.commitsRead).toBe(5)
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(served))
  })

  it('a transfer cut mid-pack leaves the clone as it was, with no temp file; the next fetch completes', async () => {
    const gitdir = clones.gitdir('app')
    const refs = await cloneRefs()
    push(6)
    server.setFault({ kind: 'cut-upload-pack', afterBytes: 3_000 })
    const error = await rejection(clones.fetch(app()))
    expect(['endpoint-unreachable', 'clone-failed']).toContain(error.code)
    expect(server.requests.at(-1)?.faulted).toBe(true)
    expect(await cloneRefs()).toEqual(refs)
    expect(strayPackFiles(gitdir)).toEqual([])
    assertGitAccepts(gitdir)
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(gitdir))
    await clones.fetch(app())
    assertGitAccepts(gitdir)
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(served))
  })

  for (const at of ['checksum', 200] as const) {
    it(`a pack corrupted ${at === 'checksum' ? 'in its checksum' : 'inside an entry'} is refused clearly; the clone stays intact`, async () => {
      const gitdir = clones.gitdir('app')
      const refs = await cloneRefs()
      const before = packs(gitdir)
      push(3)
      server.setRewrites({ uploadResponse: (body) => withPackByteFlipped(body, at) })
      const error = await rejection(clones.fetch(app())).finally(() => server.setRewrites(undefined))
      expect(error.code).toBe('clone-failed')
      expect(error.message).toMatch(at === 'checksum' ? /checksum/ : /corrupt/)
      expect(error.message).toMatch(/fetch again/)
      expect(await cloneRefs()).toEqual(refs)
      expect(packs(gitdir)).toEqual(before)
      expect(strayPackFiles(gitdir)).toEqual([])
      assertGitAccepts(gitdir)
      expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(gitdir))
    })
  }

  it('a remote ref with a name git refuses is skipped with a warning, not the whole fetch', async () => {
    push(2)
    const master = runGit(served, ['rev-parse', 'master']).trim()
    server.setRewrites({ advertisement: (body) => withExtraRef(body, master, 'refs/heads/bad..name') })
    const outcome = await clones.fetch(app()).finally(() => server.setRewrites(undefined))
    expect(outcome.warnings?.[0]).toMatch(/refs\/heads\/bad\.\.name/)
    expect(warnings).toEqual(outcome.warnings)
    const refs = await cloneRefs()
    expect([...refs.keys()].some((r) => r.includes('bad'))).toBe(false)
    expect(refs.get('refs/remotes/origin/master')).toBe(master)
    assertGitAccepts(clones.gitdir('app'))
  })

  it('packs do not pile up: past the limit a fetch merges them, and the clone stays whole', async () => {
    const gitdir = clones.gitdir('app')
    let most = 0
    for (let k = 0; k < PACK_LIMIT + 2; k++) {
      push(1)
      await clones.fetch(app())
      most = Math.max(most, packs(gitdir).length)
    }
    expect(most).toBe(PACK_LIMIT)
    expect(packs(gitdir).length).toBeLessThan(PACK_LIMIT)
    assertGitAccepts(gitdir)
    expect(strayPackFiles(gitdir)).toEqual([])
    expect(await indexGraph(gitdir, join(root, 'index.bin'))).toEqual(gitGraph(served))
  })
})

function names(gitdir: string, pack: string): Set<string> {
  const idx = join(gitdir, 'objects', 'pack', pack.replace(/\.pack$/, '.idx'))
  const listing = runGit(gitdir, ['show-index'], { input: readFileSync(idx) })
  return new Set(
    listing
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1] ?? ''),
  )
}
