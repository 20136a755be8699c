import * as fs from 'node:fs'
import { AppError } from '../../../../shared/errors'
import type { CherryPickOutcome } from '../../../../shared/models/trains'
import type { Sha } from '../../../../shared/models/workspace'
import { planCherryPicks, writeCherryPicks } from '../../git/cherry-pick'
import type { CommitIndex } from '../../git/commit-index'
import type { ServiceRepos } from '../../repos/service-repos'
import { localTip } from './hotfix-flow'

/** What the person asked to pick, one commit at a time, with the `#PR` it came from. */
interface Pick {
  sha: Sha
  input?: string
}

/** A request to pick commits onto a hotfix branch. */
export interface PickRequest {
  service: string
  branch: string
  /** SHAs, short SHAs, refs or `#PR`, in the order to pick them. */
  commits: string[]
  dryRun?: boolean
  /** Pick merge commits whole against this parent, as `git cherry-pick -m <mainline>`. */
  mainline?: number
}

const short = (sha: Sha): string => sha.slice(0, 7)

/**
 * The commits an input stands for. A `#PR` merged with a merge commit stands for the PR's own commits (the merge's
 * second-parent range, oldest first), unless merges are picked whole (`mainline`); a merge named by SHA needs
 * `mainline`, and the refusal says both ways to pick it.
 */
async function expand(repos: ServiceRepos, service: string, input: string, mainline?: number): Promise<Pick[]> {
  const sha = await repos.resolve(service, input)
  const index = await repos.index(service)
  const parents = index.get(sha)?.parents ?? []
  const pr = /^#\d+$/.test(input.trim()) ? input.trim() : undefined
  if (parents.length < 2 || mainline !== undefined) return [pr === undefined ? { sha } : { sha, input: pr }]
  if (pr !== undefined) {
    const own = prCommits(index, parents)
    const merge = own.find((c) => (index.get(c)?.parents.length ?? 0) > 1)
    if (merge === undefined && own.length > 0) return own.map((c) => ({ sha: c, input: pr }))
    throw new AppError(
      'invalid-input',
      `${pr} (${short(sha)}) brings ${merge === undefined ? 'no commit of its own' : `merge ${short(merge)} among its commits`}: pick the merge ${short(sha)} whole with -m 1 (mainline 1).`,
      { sha },
    )
  }
  const named = index.get(sha)?.pr
  throw new AppError(
    'invalid-input',
    `${short(sha)} is a merge commit: pick it whole with -m 1 (mainline 1)${named === undefined ? '' : `, or pick the commits of its pull request with #${named}`}.`,
    { sha },
  )
}

/** A merge's own commits: reachable from its second parent, not from its first; oldest first. */
function prCommits(index: CommitIndex, parents: readonly Sha[]): Sha[] {
  const [first, second] = parents
  if (first === undefined || second === undefined) return []
  return index.range([first], second).reverse()
}

/**
 * Plans picking the requested commits onto the local hotfix branch; unless `dryRun` and when every pick is clean,
 * writes them (with the -x trailer, and -m for merges picked whole) and moves the local branch. Nothing is written
 * on a conflict.
 */
export async function pickOntoBranch(
  repos: ServiceRepos,
  request: PickRequest,
  committer: { name: string; email: string; now: Date },
): Promise<CherryPickOutcome> {
  const { service, branch } = request
  if (request.commits.length === 0)
    throw new AppError('invalid-input', 'Name at least one commit to pick (SHA or #PR).')
  const onto = await localTip(repos, service, branch)
  const picks: Pick[] = []
  for (const input of request.commits) picks.push(...(await expand(repos, service, input, request.mainline)))
  const commits = picks.map((p) => p.sha)
  const described = async (sha: Sha, i: number) => ({
    from: sha,
    subject: (await repos.summary(service, sha))?.subject ?? '',
    ...(picks[i]?.input !== undefined ? { input: picks[i].input } : {}),
  })
  const plan = await planCherryPicks({
    fs,
    gitdir: repos.clones.gitdir(service),
    cache: repos.clones.cache(service),
    onto,
    commits,
    ...(request.mainline !== undefined ? { mainline: request.mainline } : {}),
  })
  if (!plan.ok) {
    const conflicts = await Promise.all(
      plan.conflicts.map(async (c) => ({
        commit: c.commit,
        subject: (await repos.summary(service, c.commit))?.subject ?? '',
        paths:
          c.reason === 'empty' ? [{ path: '', kind: 'empty' }] : c.paths.map((p) => ({ path: p.path, kind: p.kind })),
      })),
    )
    return { ok: false, tip: onto, picked: await Promise.all(commits.map(described)), conflicts, dryRun: true }
  }
  const planned = await Promise.all(commits.map(described))
  if (request.dryRun === true) return { ok: true, tip: onto, picked: planned, conflicts: [], dryRun: true }
  const tip = await writeCherryPicks(plan, {
    committer: {
      name: committer.name,
      email: committer.email,
      timestamp: Math.floor(committer.now.getTime() / 1000),
      timezoneOffset: 0,
    },
  })
  await repos.clones.setRef(service, `refs/heads/${branch}`, tip)
  // The picks are local until pushed: the index learns them from the clone's refs, without the network.
  const index = await repos.reindex(service)
  const made = index.range([onto], tip).reverse()
  return {
    ok: true,
    tip,
    picked: planned.map((p, i) => ({ ...p, ...(made[i] !== undefined ? { to: made[i] } : {}) })),
    conflicts: [],
    dryRun: false,
  }
}
