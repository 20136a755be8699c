import * as fs from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import type { CommitIndex } from '../../../src/main/core/git/commit-index'
import { Equivalence, type EquivalenceAnswer } from '../../../src/main/core/git/equivalence/equivalence'
import { whereIs } from '../../../src/main/core/environments/where'
import type { Workspace } from '../../../src/shared/models/workspace'
import { removeDir, tmpDir } from '../../support/git-repo'
import { DIFFERENTIAL_TIMEOUT_MS } from '../../support/time-limits'
import { buildBackportHistory, type BackportHistory } from './backport-history'

/**
 * The cherry-pick answers of the whole history against git's own: `git cherry master stable` with the pinned diff
 * (histogram, no indent heuristic), over a stable branch whose originals lie 5,000+ commits below master's tip, far
 * past where a windowed search (the newest 2,000 candidates) used to stop.
 */
describe('equivalence over a long history, against git cherry', () => {
  let h: BackportHistory
  let dir: string
  let index: CommitIndex
  let table: Equivalence
  const answers = new Map<string, EquivalenceAnswer>()

  beforeAll(async () => {
    dir = tmpDir('trainyard-equivalence-diff-')
    h = buildBackportHistory()
    index = await openCommitIndex({ gitdir: h.repo.gitdir, cacheFile: join(dir, 'index.idx') })
    table = new Equivalence(index, { repo: { fs, gitdir: h.repo.gitdir, cache: {} } })
    while (await table.fill(performance.now() + 1000));
    for (const sha of [...h.backports.keys(), ...h.stableOnly]) answers.set(sha, table.findKnown(sha, h.master))
  }, DIFFERENTIAL_TIMEOUT_MS)

  afterAll(() => {
    h?.repo.cleanup()
    removeDir(dir)
  })

  it('finds every backport, however far back its original lies', () => {
    const distances: number[] = []
    for (const [backport, { original, kind }] of h.backports) {
      const via = kind === 'trailer' || kind === 'changed-with-trailer' ? 'trailer' : 'patch-id'
      expect(answers.get(backport), `${kind} backport ${backport}`).toEqual({ sha: original, via })
      // Where the original sits among the commits a search from the backport would look at, newest first.
      distances.push(index.range(backport, h.master).indexOf(original))
    }
    expect(h.backports.size).toBe(24)
    expect(Math.min(...distances)).toBeGreaterThanOrEqual(5000)
    for (const sha of h.stableOnly) expect(answers.get(sha), `stable-only ${sha}`).toBeUndefined()
  })

  it('says of every stable commit without a trailer what git cherry says, with the pinned diff', () => {
    const cherry = h.repo
      .git('-c', 'diff.algorithm=histogram', '-c', 'diff.indentHeuristic=false', 'cherry', 'master', 'stable')
      .split('\n')
      .map((line) => ({ sign: line[0], sha: line.slice(2) }))
    const withoutTrailer = cherry.filter(({ sha }) => index.get(sha)?.pickedFrom === undefined)
    const ours = withoutTrailer.map(({ sha }) => `${answers.get(sha) === undefined ? '+' : '-'} ${sha}`)
    expect(ours).toEqual(withoutTrailer.map(({ sign, sha }) => `${sign} ${sha}`))
    // git cherry knows no trailers: hand-resolved picks differ from their originals, exact -x picks do not.
    const equal = cherry.filter((c) => c.sign === '-').length
    const expected = [...h.backports.values()].filter((b) => b.kind !== 'changed-with-trailer').length
    expect(equal).toBe(expected)
    expect(withoutTrailer.length).toBeGreaterThan(100)
  })

  it('where: "deployed as a cherry-pick" for every backport once the table is filled, "not yet known" before, never "not deployed"', async () => {
    const workspace = {
      services: [{ name: 'shop', repo: { url: '' }, defaultBranch: 'master', environments: {} }],
      environments: [{ name: 'production', probe: { kind: 'none' }, requirePreviousSuccess: false }],
      regions: [],
      endpoints: {},
    } as unknown as Workspace
    const empty = new Equivalence(index, { repo: { fs, gitdir: h.repo.gitdir, cache: {} }, budgetMs: 0 })
    const ask = (finder: Equivalence) =>
      whereIs({
        workspace,
        query: 'backports',
        resolved: [...h.backports.keys()].map((sha) => ({ service: 'shop', sha, via: 'sha' as const })),
        indexOf: () => Promise.resolve(index),
        probes: [{ service: 'shop', environment: 'production', sha: h.master, asOf: '', cached: true }],
        runs: [],
        equivalent: (_service, sha, deployed) => finder.find(sha, deployed),
      })
    const backports = [...h.backports.values()]
    const states = (answer: Awaited<ReturnType<typeof ask>>) =>
      answer.cells.map((c) => `${c.state} ${c.via ?? c.error?.code ?? ''} ${c.equivalentSha ?? ''}`.trim())
    // Trailers need no table; what needs patch-ids is not known yet.
    expect(states(await ask(empty))).toEqual(
      backports.map((b) =>
        b.kind === 'trailer' || b.kind === 'changed-with-trailer'
          ? `deployed-as-cherry-pick trailer ${b.original}`
          : 'unknown not-ready',
      ),
    )
    expect(states(await ask(table))).toEqual(
      backports.map(
        (b) =>
          `deployed-as-cherry-pick ${b.kind === 'trailer' || b.kind === 'changed-with-trailer' ? 'trailer' : 'patch-id'} ${b.original}`,
      ),
    )
  })
})
