import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import { cloneRepo, createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { seededRandom } from '../../../src/shared/seeded-random'
import { buildRandomHistory, randomImportHistory } from './commit-index-random-history'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'

// Differential tests: every answer of the index is compared with the git CLI on random histories.

interface Variant {
  name: string
  repo: TestRepo
  /** Commit SHA → the SHA its trailer names, for every reachable commit that has one. */
  picked: Map<string, string>
  /** PR number → SHAs whose subject names it. */
  prs: Map<number, string[]>
  /** Dates go backwards here, so git's date-limited `A..B` walks are heuristic: use exact set differences. */
  skewed: boolean
}

const QUERIES = 130
const cacheDir = tmpDir('trainyard-index-cache-')
const variants: Variant[] = []

function imported(seed: number, count: number, skew: boolean): Variant {
  const repo = createRepo()
  const history = randomImportHistory(seed, count, { skew })
  const shas = history.commits.length > 0 ? repo.fastImport(history.commits, history.refs) : []
  const reachable = new Set(lines(repo.git('rev-list', '--all')))
  const picked = new Map(
    [...history.picked].map(([i, source]) => [shas[i] ?? '', source] as const).filter(([sha]) => reachable.has(sha)),
  )
  const prs = new Map<number, string[]>()
  for (const [n, list] of history.prs) {
    const live = list.map((i) => shas[i] ?? '').filter((sha) => reachable.has(sha))
    if (live.length > 0) prs.set(n, live)
  }
  return { name: `fast-import seed ${seed}`, repo, picked, prs, skewed: skew }
}

beforeAll(() => {
  const cli = buildRandomHistory(1, 90)
  variants.push({
    name: 'git CLI history, loose objects',
    repo: cli.repo,
    picked: cli.picked,
    prs: cli.prs,
    skewed: false,
  })

  // A clone repacked with REF_DELTA entries (bases named by SHA rather than offset) and packed refs.
  const refDelta = cloneRepo(cli.repo.path, { bare: true })
  for (const line of lines(cli.repo.git('for-each-ref', '--format=%(refname) %(objectname)'))) {
    const [name = '', sha = ''] = line.split(' ')
    refDelta.git('update-ref', name, sha)
  }
  refDelta.git('-c', 'repack.useDeltaBaseOffset=false', 'repack', '-adf', '--depth=50', '--window=250')
  refDelta.git('pack-refs', '--all')
  variants.push({ ...variants[0], name: 'REF_DELTA pack, packed-refs', repo: refDelta } as Variant)

  // Commits deltified against each other (OFS_DELTA chains), then loose commits on top.
  const packed = imported(2, 400, false)
  packed.repo.git('repack', '-adf', '--depth=50', '--window=250')
  packed.repo.git('checkout', '-qf', 'master')
  for (let i = 0; i < 3; i++) packed.repo.commit(`Loose on top ${i}`, { [`top${i}.txt`]: `${i}\n` })
  variants.push(packed)

  variants.push(imported(3, 400, true))
}, 120_000)

afterAll(() => {
  for (const v of variants) v.repo.cleanup()
  removeDir(cacheDir)
})

const open = (v: Variant): Promise<CommitIndex> =>
  openCommitIndex({ gitdir: v.repo.gitdir, cacheFile: `${cacheDir}/${v.name}.idx` })
const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0)

it('exercises deltified commits in both delta encodings', () => {
  // verify-pack prints "sha commit size packed offset depth base" for a commit stored as a delta.
  for (const which of [1, 2])
    expect(deltifiedCommits((variants[which] as Variant).repo), `variant ${which}`).toBeGreaterThan(5)
})

describe.each([0, 1, 2, 3])('commit index against git, variant %i', { timeout: DIFFERENTIAL_TIMEOUT_MS }, (which) => {
  const variant = (): Variant => variants[which] as Variant

  it('holds exactly the commits of `git rev-list --all`, with git’s fields and levels', async () => {
    const v = variant()
    const index = await open(v)
    const rows = lines(v.repo.git('log', '--all', '--format=%H%x01%P%x01%ct%x01%an%x01%ae%x01%s'))
    expect(index.size).toBe(rows.length)
    const parentsOf = new Map<string, string[]>()
    for (const row of rows) {
      const [sha = '', parents = '', time, authorName, authorEmail, subject] = row.split('\x01')
      parentsOf.set(
        sha,
        parents.split(' ').filter((p) => p.length > 0),
      )
      expect(index.get(sha)).toMatchObject({
        sha,
        parents: parentsOf.get(sha),
        time: Number(time),
        authorName,
        authorEmail,
        subject,
      })
    }
    // Topological levels computed independently from git's parent lists (rev-list --topo-order --reverse: parents first).
    const level = new Map<string, number>()
    for (const sha of lines(v.repo.git('rev-list', '--all', '--topo-order', '--reverse'))) {
      level.set(sha, 1 + Math.max(0, ...(parentsOf.get(sha) ?? []).map((p) => level.get(p) ?? Number.NaN)))
      expect(index.get(sha)?.generation, sha).toBe(level.get(sha))
    }
  })

  it('reads cherry-pick trailers and pull request numbers from the messages', async () => {
    const v = variant()
    const index = await open(v)
    expect(v.picked.size).toBeGreaterThan(1)
    for (const sha of lines(v.repo.git('rev-list', '--all')))
      expect(index.get(sha)?.pickedFrom, sha).toBe(v.picked.get(sha))
    expect(v.prs.size).toBeGreaterThan(5)
    for (const [number, shas] of v.prs) expect(new Set(index.findByPr(number)), `#${number}`).toEqual(new Set(shas))
    expect(index.findByPr(99_999)).toEqual([])
  })

  it(`answers ${QUERIES} random ancestry, merge-base, range and ahead/behind queries exactly as git`, async () => {
    const v = variant()
    const index = await open(v)
    const all = lines(v.repo.git('rev-list', '--all'))
    if (v.skewed) v.repo.git('commit-graph', 'write', '--reachable') // git's merge-base then walks by generation, not date
    const rnd = seededRandom(1000 + which)
    const any = (): string => all[Math.floor(rnd() * all.length)] as string
    const history = new Map<string, Promise<Set<string>>>()
    const reach = (sha: string): Promise<Set<string>> => {
      let set = history.get(sha)
      if (!set) history.set(sha, (set = v.repo.gitAsync('rev-list', sha).then((out) => new Set(lines(out)))))
      return set
    }
    const pairs = Array.from({ length: QUERIES }, () => [any(), any(), rnd(), any(), any()] as const)
    let positives = 0
    await inBatches(pairs, 8, async ([x, b, coin, e1, e2]) => {
      // Half the pairs take `a` from b's own recent history so that positive answers are common.
      const a = coin < 0.5 ? ([...(await reach(b))][Math.floor(coin * 80)] ?? x) : x
      const [isAncestor, bases, rangeList, counts] = await Promise.all([
        v.repo.gitAsync('merge-base', '--is-ancestor', a, b).then(
          () => true,
          () => false,
        ),
        v.repo.gitAsync('merge-base', '--all', a, b).then(lines, () => []),
        v.skewed ? difference(reach(b), [reach(a)]) : v.repo.gitAsync('rev-list', `${a}..${b}`).then(lines),
        v.skewed
          ? Promise.all([difference(reach(a), [reach(b)]), difference(reach(b), [reach(a)])]).then(
              ([l, r]) => `${l.length}\t${r.length}`,
            )
          : v.repo.gitAsync('rev-list', '--left-right', '--count', `${a}...${b}`),
      ])
      if (isAncestor) positives++
      expect(index.isAncestor(a, b), `isAncestor ${a} ${b}`).toBe(isAncestor)
      if (v.skewed) expect(index.isAncestor(a, b), `isAncestor vs reachability ${a} ${b}`).toBe((await reach(b)).has(a))
      expect(new Set(index.mergeBases(a, b)), `mergeBases ${a} ${b}`).toEqual(new Set(bases))
      const one = index.mergeBase(a, b)
      if (bases.length === 0) expect(one).toBeUndefined()
      else expect(bases).toContain(one)
      expect(new Set(index.range(a, b)), `range ${a}..${b}`).toEqual(new Set(rangeList))
      const [ahead, behind] = counts.trim().split('\t').map(Number)
      expect(index.aheadBehind(a, b), `aheadBehind ${a} ${b}`).toEqual({ ahead, behind })

      const expected = v.skewed
        ? await difference(reach(b), [reach(e1), reach(e2)])
        : lines(await v.repo.gitAsync('rev-list', b, `^${e1}`, `^${e2}`))
      expect(new Set(index.range([e1, e2], b)), `range ^${e1} ^${e2} ${b}`).toEqual(new Set(expected))
    })
    expect(positives).toBeGreaterThan(QUERIES / 5)
    expect(positives).toBeLessThan(QUERIES)
  })

  it('lists a range newest commit time first', async () => {
    const v = variant()
    const index = await open(v)
    const head = v.repo.git('rev-parse', 'master')
    const times = index.range([], head).map((sha) => index.get(sha)?.time ?? 0)
    expect(times.length).toBeGreaterThan(10)
    expect(times).toEqual([...times].sort((x, y) => y - x))
  })

  it('resolves SHA prefixes, refs and tags as git does', async () => {
    const v = variant()
    const index = await open(v)
    const all = lines(v.repo.git('rev-list', '--all'))
    for (const sha of all.slice(0, 30)) {
      for (const length of [1, 2, 3, 7]) {
        const prefix = sha.slice(0, length)
        expect(index.resolvePrefix(prefix).sort()).toEqual(all.filter((s) => s.startsWith(prefix)).sort())
      }
      expect(index.resolve(sha.slice(0, 12))).toBe(sha)
      expect(index.resolve(sha.toUpperCase())).toBe(sha)
    }
    const refs = lines(v.repo.git('for-each-ref', '--format=%(refname) %(refname:short)'))
    const expected = lines(v.repo.git('rev-parse', ...refs.map((r) => `${r.split(' ')[0]}^{commit}`)))
    refs.forEach((line, i) => {
      const [full = '', short = ''] = line.split(' ')
      expect(index.resolve(full), full).toBe(expected[i])
      expect(index.resolve(short), short).toBe(expected[i])
    })
    expect(() => index.resolve('no-such-branch')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => index.resolve('0'.repeat(40))).toThrow(expect.objectContaining({ code: 'sha-not-in-clone' }))
  })
})

function deltifiedCommits(repo: TestRepo): number {
  const packDir = `${repo.gitdir}/objects/pack`
  let count = 0
  for (const file of readdirSync(packDir).filter((f) => f.endsWith('.idx'))) {
    count += lines(repo.git('verify-pack', '-v', `${packDir}/${file}`)).filter(
      (l) => / commit /.test(l) && l.trim().split(/\s+/).length >= 7,
    ).length
  }
  return count
}

async function difference(from: Promise<Set<string>>, minus: Promise<Set<string>>[]): Promise<string[]> {
  const [base, ...others] = await Promise.all([from, ...minus])
  return [...(base ?? [])].filter((sha) => !others.some((o) => o.has(sha)))
}

async function inBatches<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work))
}
