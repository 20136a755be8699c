import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Clones, type RepoSource } from '../../../src/main/core/git/clone/clones'
import { readCloneRefs } from '../../../src/main/core/git/clone/refs'
import { readShallow } from '../../../src/main/core/git/clone/shallow'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { HISTORY_LOADING } from '../../../src/main/core/git/commit-index-cut'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import { compareShas } from '../../../src/main/core/environments/compare'
import { whereIs, type EquivalentFinder } from '../../../src/main/core/environments/where'
import { AppError } from '../../../src/shared/errors'
import type { WhereCell } from '../../../src/shared/models/environments'
import { seededRandom } from '../../../src/shared/seeded-random'
import { assertGitAccepts, gitGraph, indexGraph, strayPackFiles } from '../../support/clone-oracle'
import { removeDir, tmpDir } from '../../support/git-repo'
import { oneCell } from '../../support/one-cell'
import { rejection } from '../../support/rejection'
import { serveRepo, type ServedRepo } from '../../support/served-repo'
import { randomImportHistory } from './commit-index-random-history'

/*
 * A shallow first clone answers while its history is still arriving, and is never wrong for it: every `where` cell
 * and every `compare` on the partial clone either equals git's answer (the oracle: `git rev-list --all --parents` of
 * the full repository the server serves) or is "not yet known: history still loading". Then the clone deepens
 * (interrupted twice on the way, resumed), after which every answer equals git's and the index equals git's graph.
 */

const DEPTH = 25
const workspace = oneCell({ kind: 'none' })

let repo: ServedRepo
let root: string
let clones: Clones
let all: string[]
let parents: Map<string, string[]>
const ancestorsCache = new Map<string, Set<string>>()
let round = 0
const app = (): RepoSource => ({ service: 'web', url: repo.server.repoUrl('app') })

/** git's ancestry: every commit reachable from `sha` in the full history (itself included). */
function ancestors(sha: string): Set<string> {
  let found = ancestorsCache.get(sha)
  if (found) return found
  found = new Set([sha])
  const stack = [sha]
  while (stack.length > 0)
    for (const p of parents.get(stack.pop() as string) ?? [])
      if (!found.has(p)) {
        found.add(p)
        stack.push(p)
      }
  ancestorsCache.set(sha, found)
  return found
}

async function index(): Promise<CommitIndex> {
  return openCommitIndex({ gitdir: clones.gitdir('web'), cacheFile: join(root, `index-${++round}.idx`) })
}

/** Commits to ask about: recent ones (in the partial clone) and any of the history (mostly not). */
function sample(ix: CommitIndex, seed: number, n: number): string[] {
  const rnd = seededRandom(seed)
  const indexed = Array.from({ length: ix.size }, (_, p) => ix.shaAt(p))
  const pick = (list: string[]) => list[Math.floor(rnd() * list.length)] as string
  return Array.from({ length: n }, (_, i) => (i % 4 === 3 ? pick(all) : pick(indexed)))
}

/**
 * Pairs a partial index cannot see: `a` is fetched and truly an ancestor of `d`, but only through history not
 * fetched yet (below a boundary commit). A clone that trusted its fetched graph would call them "not deployed".
 */
function hiddenPairs(ix: CommitIndex): [string, string][] {
  const out: [string, string][] = []
  for (let d = 0; d < ix.size; d++) {
    const seen = new Set<string>()
    const stack = [ix.shaAt(d)]
    while (stack.length > 0) {
      const sha = stack.pop() as string
      if (seen.has(sha)) continue
      seen.add(sha)
      stack.push(...(ix.get(sha)?.parents ?? []))
    }
    for (const a of ancestors(ix.shaAt(d))) if (ix.has(a) && !seen.has(a)) out.push([a, ix.shaAt(d)])
  }
  return out
}

const isLoading = (cell: WhereCell) => cell.state === 'unknown' && cell.error?.code === 'not-ready'

/** Asks `where` for every pair (the query × what the one environment runs); returns how many were answered. */
async function checkWhere(ix: CommitIndex, shas: string[]): Promise<{ answered: number; loading: number }> {
  // As ServiceRepos does: a partial clone's cherry-picks are "not yet known"; this history has none to find.
  const equivalent: EquivalentFinder = () =>
    Promise.resolve(ix.partial ? { pending: true, reason: HISTORY_LOADING } : undefined)
  let answered = 0
  let loading = 0
  for (const deployed of shas) {
    const answer = await whereIs({
      workspace,
      query: 'q',
      resolved: shas.map((sha) => ({ service: 'web', sha, via: 'sha' as const })),
      indexOf: () => Promise.resolve(ix),
      probes: [{ service: 'web', environment: 'prod', sha: deployed, asOf: '', cached: false }],
      runs: [],
      equivalent,
    })
    answer.cells.forEach((cell, i) => {
      const sha = shas[i] as string
      const truth = ancestors(deployed).has(sha) ? 'deployed' : 'not-deployed'
      if (isLoading(cell)) loading++
      else {
        expect(cell.state, `where ${sha} with ${deployed} deployed`).toBe(truth)
        answered++
      }
    })
  }
  return { answered, loading }
}

/** `compare` of every pair: git's range both ways, or `not-ready`. */
function checkCompare(ix: CommitIndex, shas: string[]): { answered: number; loading: number } {
  let answered = 0
  let loading = 0
  for (const from of shas)
    for (const to of shas) {
      let result: ReturnType<typeof compareShas>
      try {
        result = compareShas(ix, 'web', { input: from, sha: from }, { input: to, sha: to })
      } catch (error) {
        expect(error).toBeInstanceOf(AppError)
        expect((error as AppError).code).toBe('not-ready')
        loading++
        continue
      }
      const ahead = [...ancestors(to)].filter((c) => !ancestors(from).has(c))
      const behind = [...ancestors(from)].filter((c) => !ancestors(to).has(c))
      expect(result.aheadCount, `${from}..${to}`).toBe(ahead.length)
      expect(result.behindCount, `${to}..${from}`).toBe(behind.length)
      expect(result.ahead.map((c) => c.sha).sort()).toEqual(ahead.sort().slice(0, result.ahead.length))
      if (result.mergeBase !== undefined) {
        expect(ancestors(from).has(result.mergeBase) && ancestors(to).has(result.mergeBase)).toBe(true)
      }
      answered++
    }
  return { answered, loading }
}

describe('a shallow first clone, deepened in the background', () => {
  beforeAll(async () => {
    const h = randomImportHistory(29, 600, { lanes: 5 })
    repo = await serveRepo((s) => {
      s.fastImport(h.commits, h.refs)
      s.git('checkout', '-q', 'master')
      s.tag('v-old', { at: 'master~40', message: 'Old' })
      s.tag('v-new', { at: 'master~2', message: 'New' })
      // A fix branched from old history and merged last: its base is fetched (two steps from the tip), yet it is
      // also far below the boundary of master's first-parent line, so the older tips reach it only through history
      // a shallow clone has not fetched.
      s.branch('late-fix', 'master~60')
      s.checkout('late-fix')
      s.commit('Late fix', { 'late.txt': 'fix\n' })
      s.checkout('master')
      s.merge('late-fix', 'Merge late-fix')
    })
    const graph = gitGraph(repo.served)
    parents = new Map(graph.map((line) => line.split(' ')).map(([sha = '', ...ps]) => [sha, ps]))
    all = [...parents.keys()]
    root = tmpDir()
    clones = new Clones({ root, secret: () => Promise.resolve(undefined), shallowDepth: DEPTH })
  })

  afterAll(async () => {
    await repo.close()
    removeDir(root)
  })

  it('answers from recent history at once, each answer git’s or "not yet known"', async () => {
    const outcome = await clones.open(app())
    expect(outcome.partial).toBe(true)
    const gitdir = clones.gitdir('web')
    expect(readShallow(gitdir).length).toBeGreaterThan(0)
    assertGitAccepts(gitdir)
    expect((await clones.status('web')).historyLoading).toBe(true)
    // The default branch and the tags in its recent history are there; the old tag comes with the rest.
    const refs = (await readCloneRefs(gitdir)).refs
    expect(refs.has('refs/remotes/origin/master')).toBe(true)
    expect(refs.has('refs/tags/v-new')).toBe(true)
    expect(refs.has('refs/tags/v-old')).toBe(false)

    const ix = await index()
    expect(ix.partial).toBe(true)
    expect(ix.size).toBeLessThan(all.length)
    const hidden = hiddenPairs(ix)
    expect(hidden.length).toBeGreaterThan(0)
    const shas = [
      ...new Set([
        ...sample(ix, 1, 48),
        ...hidden
          .filter((_, i) => i % 7 === 0)
          .slice(0, 10)
          .flat(),
      ]),
    ]
    const where = await checkWhere(ix, shas)
    const compare = checkCompare(ix, shas.slice(0, 24))
    // Partial, yet useful: both kinds of answer occur.
    expect(where.answered).toBeGreaterThan(200)
    expect(where.loading).toBeGreaterThan(0)
    expect(compare.answered).toBeGreaterThan(20)
    expect(compare.loading).toBeGreaterThan(0)
  })

  it('a deepen cut mid-pack or cancelled changes nothing, and answers stay right meanwhile', async () => {
    const gitdir = clones.gitdir('web')
    const before = gitGraph(gitdir)
    const shallow = readShallow(gitdir)
    repo.server.setFault({ kind: 'cut-upload-pack', afterBytes: 3000 })
    await rejection(clones.fetch(app()))
    repo.server.setFault({ kind: 'stall-upload-pack', afterBytes: 3000 })
    const deepening = rejection(clones.fetch(app()))
    await repo.server.stalled()
    // While the deepen is under way, the clone answers as before.
    expect((await clones.status('web')).state).toBe('fetching')
    const ix = await index()
    expect(ix.partial).toBe(true)
    await checkWhere(ix, sample(ix, 2, 24))
    clones.cancel('web')
    expect((await deepening).code).toBe('cancelled')
    repo.server.setFault(undefined)
    expect(readShallow(gitdir)).toEqual(shallow)
    expect(gitGraph(gitdir)).toEqual(before)
    expect(strayPackFiles(gitdir)).toEqual([])
    assertGitAccepts(gitdir)
  })

  it('resumes and completes: every answer is git’s and the index is git’s graph', async () => {
    const outcome = await clones.fetch(app())
    expect(outcome.partial).toBeUndefined()
    const gitdir = clones.gitdir('web')
    expect(existsSync(join(gitdir, 'shallow'))).toBe(false)
    expect((await clones.status('web')).historyLoading).toBeUndefined()
    assertGitAccepts(gitdir)
    expect(gitGraph(gitdir)).toEqual(gitGraph(repo.served))
    expect(await indexGraph(gitdir, join(root, 'final.idx'))).toEqual(gitGraph(repo.served))
    expect((await readCloneRefs(gitdir)).refs.has('refs/tags/v-old')).toBe(true)

    const ix = await index()
    expect(ix.partial).toBe(false)
    const shas = sample(ix, 3, 40)
    expect((await checkWhere(ix, shas)).loading).toBe(0)
    expect(checkCompare(ix, shas.slice(0, 20)).loading).toBe(0)
  })
})
