import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProbeResult } from '../../../src/shared/models/environments'
import type { GraphPage } from '../../../src/shared/models/graph'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { Equivalence } from '../../../src/main/core/git/equivalence/equivalence'
import { commitDetails } from '../../../src/main/core/git/graph-layout-details'
import { GraphView } from '../../../src/main/core/git/graph-layout-view'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { randomImportHistory } from '../git/commit-index-random-history'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'

/** Every edge of a page runs where the layout's geometry says: checked against the pass-through lanes. */
function checkGeometry(page: GraphPage): void {
  const through = new Map(page.through.map((t) => [t.row, new Set(t.lanes.map((l) => l.lane))]))
  const rows = new Map(page.rows.map((r) => [r.row, r]))
  const wrong: string[] = []
  for (const row of page.rows) {
    if (through.get(row.row)?.has(row.lane) !== false) wrong.push(`row ${row.row} has its own lane passing through`)
    row.parents.forEach((p, k) => {
      const parent = rows.get(p.row)
      if (p.row <= row.row || parent?.sha !== p.sha || parent.lane !== p.lane)
        wrong.push(`edge ${row.row}→${p.row} does not reach ${p.sha}`)
      // First-parent edges run down the child's lane, other edges down the parent's.
      const runs = k === 0 ? row.lane : p.lane
      for (let r = row.row + 1; r < p.row; r++)
        if (through.get(r)?.has(runs) !== true) wrong.push(`edge ${row.row}→${p.row} missing at row ${r}`)
    })
  }
  expect(wrong).toEqual([])
}

function pageOf(view: GraphView, pins: Map<string, string[]> = new Map()): GraphPage {
  return view.page('svc', 0, 100_000, pins)
}

describe('graph pages over a real repository', () => {
  let repo: TestRepo
  let cacheDir: string
  let index: CommitIndex
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    repo = createRepo()
    cacheDir = tmpDir()
    sha.a = repo.commit('A', { 'a.txt': 'a' })
    sha.b = repo.commit('B', { 'b.txt': 'b' })
    repo.branch('us-release')
    repo.tag('v1.0')
    sha.c = repo.commit('C fix the invoice rounding', { 'c.txt': 'c' })
    repo.checkout('us-release')
    sha.u = repo.commit('U', { 'u.txt': 'u' })
    sha.pick = repo.cherryPick(sha.c, { trailer: true })
    repo.tag('train/uk-2024-01-01', { message: 'Train uk' })
    repo.checkout('master')
    repo.branch('feature/x')
    repo.checkout('feature/x')
    sha.f = repo.commit('F', { 'f.txt': 'f' })
    repo.checkout('master')
    sha.d = repo.commit('D', { 'd.txt': 'd' })
    sha.m = repo.merge('feature/x', 'Merge feature/x')
    index = await openCommitIndex({ gitdir: repo.gitdir, cacheFile: join(cacheDir, 'svc.idx') })
  })
  afterAll(() => {
    repo.cleanup()
    removeDir(cacheDir)
  })

  it('orders rows as git log --date-order and labels branches, tags and trains', () => {
    const page = pageOf(new GraphView(index), new Map([[sha.pick ?? '', ['production-us']]]))
    expect(page.rows.map((r) => r.sha)).toEqual(repo.git('rev-list', '--all', '--date-order').split('\n'))
    checkGeometry(page)
    const byId = new Map(page.rows.map((r) => [r.sha, r]))
    expect(byId.get(sha.m ?? '')?.refs).toEqual(['master'])
    expect(byId.get(sha.pick ?? '')?.refs).toEqual(['us-release'])
    expect(byId.get(sha.pick ?? '')?.trains).toEqual(['uk-2024-01-01'])
    expect(byId.get(sha.pick ?? '')?.pins).toEqual(['production-us'])
    expect(byId.get(sha.b ?? '')?.refs).toEqual(['v1.0'])
    expect(byId.get(sha.f ?? '')?.refs).toEqual(['feature/x'])
    expect(page.branches).toEqual(['feature/x', 'master', 'us-release'])
    expect(page.links).toEqual([
      {
        from: sha.c,
        to: sha.pick,
        fromRow: byId.get(sha.c ?? '')?.row,
        toRow: byId.get(sha.pick ?? '')?.row,
        via: 'trailer',
      },
    ])
    expect(page.total).toBe(8)
  })

  it('keeps a branch lane in one colour down its first parents', () => {
    const page = pageOf(new GraphView(index))
    const byId = new Map(page.rows.map((r) => [r.sha, r]))
    const master = ['m', 'd', 'c', 'b', 'a'].map((k) => byId.get(sha[k] ?? ''))
    expect(new Set(master.map((r) => r?.color)).size).toBe(1)
    expect(new Set(master.map((r) => r?.lane))).toEqual(new Set([0]))
    expect(byId.get(sha.u ?? '')?.color).not.toBe(master[0]?.color)
  })

  it('filters to the history of chosen branches', () => {
    const page = pageOf(new GraphView(index, ['us-release']))
    expect(page.rows.map((r) => r.sha)).toEqual(repo.git('rev-list', '--date-order', 'us-release').split('\n'))
    expect(page.links).toEqual([])
    expect(() => new GraphView(index, ['nope'])).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('locates the row of a commit, in the whole layout or not at all when a filter leaves it out', () => {
    const view = new GraphView(index)
    const rows = pageOf(view).rows
    for (const row of rows) expect(view.rowOf(row.sha)).toBe(row.row)
    expect(new GraphView(index, ['us-release']).rowOf(sha.f ?? '')).toBe(-1)
  })

  it('pages rows with the lanes passing through them and the links crossing them', () => {
    const view = new GraphView(index)
    const whole = pageOf(view)
    const part = view.page('svc', 2, 3, new Map())
    expect(part.rows).toEqual(whole.rows.slice(2, 5))
    expect(part.through).toEqual(whole.through.slice(2, 5))
    const link = whole.links[0]
    const crosses =
      link !== undefined && Math.min(link.fromRow, link.toRow) < 5 && Math.max(link.fromRow, link.toRow) >= 2
    expect(part.links.length).toBe(crosses ? 1 : 0)
    expect(view.page('svc', 100, 10, new Map()).rows).toEqual([])
    // Patch-id twins (picks without -x, from the equivalence table) are links too.
    const twin = view.page('svc', 0, 100, new Map(), [[sha.a as string, sha.u as string]]).links
    expect(twin.filter((l) => l.via === 'patch-id')).toEqual([
      expect.objectContaining({ from: sha.a, to: sha.u, via: 'patch-id' }),
    ])
  })

  it('details a commit: environments containing it, its copies, branches containing it', () => {
    const probes: ProbeResult[] = [
      { service: 'svc', environment: 'qa', sha: sha.m, asOf: '2024-01-01T00:00:00Z', cached: false },
      { service: 'svc', environment: 'production-uk', sha: sha.b, asOf: '2024-01-01T00:00:00Z', cached: false },
      { service: 'other', environment: 'dev', sha: sha.m, asOf: '2024-01-01T00:00:00Z', cached: false },
    ]
    const table = new Equivalence(index, { repo: { fs, gitdir: repo.gitdir, cache: {} } })
    const twins = (s: string) => table.sameChange(s)
    const details = commitDetails('svc', index, sha.c ?? '', 'C fix the invoice rounding\n', probes, twins(sha.c ?? ''))
    expect(details.containedIn).toEqual(['qa'])
    expect(details.branches).toEqual(
      repo
        .git('branch', '--contains', sha.c ?? '', '--format=%(refname:short)')
        .split('\n')
        .sort(),
    )
    expect(details.equivalents).toEqual([{ sha: sha.pick, via: 'trailer', branches: ['us-release'] }])
    expect(details.author.email).toBe('author@example.test')
    const copy = commitDetails('svc', index, sha.pick ?? '', '', probes, twins(sha.pick ?? ''))
    expect(copy.equivalents).toEqual([{ sha: sha.c, via: 'trailer', branches: details.branches }])
    expect(details.branches).toEqual(['feature/x', 'master'])
    expect(copy.containedIn).toEqual([])
    expect(() => commitDetails('svc', index, 'f'.repeat(40), '', probes, [])).toThrow(
      expect.objectContaining({ code: 'sha-not-in-clone' }),
    )
  })
})

describe('graph pages over a random history', { timeout: DIFFERENTIAL_TIMEOUT_MS }, () => {
  it('puts every child above its parents and runs every edge through its lane', async () => {
    const repo = createRepo()
    const history = randomImportHistory(7, 3000, { lanes: 12, skew: true })
    repo.fastImport(history.commits, history.refs)
    const cacheDir = tmpDir()
    try {
      const index = await openCommitIndex({ gitdir: repo.gitdir, cacheFile: join(cacheDir, 'r.idx') })
      const page = pageOf(new GraphView(index))
      expect(new Set(page.rows.map((r) => r.sha))).toEqual(new Set(repo.git('rev-list', '--all').split('\n')))
      checkGeometry(page)
      const parents = new Map(
        repo
          .git('rev-list', '--all', '--parents')
          .split('\n')
          .map((l) => l.split(' '))
          .map(([c, ...ps]) => [c, ps]),
      )
      expect(
        page.rows.filter((row) => row.parents.map((p) => p.sha).join(' ') !== parents.get(row.sha)?.join(' ')),
      ).toEqual([])
      expect(page.lanes).toBeGreaterThan(1)
    } finally {
      repo.cleanup()
      removeDir(cacheDir)
    }
  })
})
