import * as fs from 'node:fs'
import { AppError } from '../../../../shared/errors'
import type { CherryPickOutcome, TrainBoard } from '../../../../shared/models/trains'
import type { Sha } from '../../../../shared/models/workspace'
import { planCherryPicks, writeCherryPicks } from '../../git/cherry-pick'
import type { ServiceRepos } from '../../repos/service-repos'

/** The SHA of the train a region's production runs for a service (the base of a new hotfix branch). */
export function liveTrainSha(board: TrainBoard, service: string, region: string): Sha {
  const cell = board.regions.find((r) => r.region === region)?.cells.find((c) => c.service === service)
  const train = board.trains.find((t) => t.train.id === cell?.train?.id)?.train
  const sha = train?.shas[service]
  if (sha === undefined) {
    throw new AppError(
      'invalid-input',
      `No train is known to run ${service} in ${region}'s production (${cell?.sha?.slice(0, 7) ?? 'nothing probed'}); give the base commit with \`at\`.`,
    )
  }
  return sha
}

/**
 * The local tip of a hotfix branch; a branch only on the remote is taken up locally at the remote's tip first.
 * AppError('not-found') when neither exists, telling to create it.
 */
export async function localTip(repos: ServiceRepos, service: string, branch: string): Promise<Sha> {
  const refs = (await repos.clones.refs(service)).refs
  const tip = refs.get(`refs/heads/${branch}`)
  if (tip !== undefined) return tip
  const remote = refs.get(`refs/remotes/origin/${branch}`)
  if (remote === undefined)
    throw new AppError('not-found', `${service} has no branch ${branch}; create it with the hotfix flow first.`)
  await repos.clones.createBranch(service, branch, remote)
  return remote
}

/** Creates the local hotfix branch at `sha`; refuses when it exists, here or on the remote, at another commit. */
export async function createHotfixBranch(
  repos: ServiceRepos,
  service: string,
  branch: string,
  sha: Sha,
): Promise<void> {
  const remote = (await repos.clones.refs(service)).refs.get(`refs/remotes/origin/${branch}`)
  if (remote !== undefined && remote !== sha) {
    throw new AppError(
      'invalid-input',
      `The branch ${branch} of ${service} already exists on the remote at ${remote.slice(0, 12)}; pick onto it instead, or delete it once its fixes are everywhere.`,
    )
  }
  await repos.clones.createBranch(service, branch, sha)
}

/**
 * Plans picking `commits` (SHAs, short SHAs or #PR) onto the local hotfix branch; unless `dryRun` and when every
 * pick is clean, writes them (with the -x trailer) and moves the local branch. Nothing is written on a conflict.
 */
export async function pickOntoBranch(
  repos: ServiceRepos,
  request: { service: string; branch: string; commits: string[]; dryRun?: boolean },
  committer: { name: string; email: string; now: Date },
): Promise<CherryPickOutcome> {
  const { service, branch } = request
  if (request.commits.length === 0)
    throw new AppError('invalid-input', 'Name at least one commit to pick (SHA or #PR).')
  const onto = await localTip(repos, service, branch)
  const commits: Sha[] = []
  for (const input of request.commits) commits.push(await repos.resolve(service, input))
  const subject = async (sha: Sha): Promise<string> => (await repos.summary(service, sha))?.subject ?? ''
  const plan = await planCherryPicks({
    fs,
    gitdir: repos.clones.gitdir(service),
    cache: repos.clones.cache(service),
    onto,
    commits,
  })
  if (!plan.ok) {
    const conflicts = await Promise.all(
      plan.conflicts.map(async (c) => ({
        commit: c.commit,
        subject: await subject(c.commit),
        paths:
          c.reason === 'empty' ? [{ path: '', kind: 'empty' }] : c.paths.map((p) => ({ path: p.path, kind: p.kind })),
      })),
    )
    return {
      ok: false,
      tip: onto,
      picked: await Promise.all(commits.map(async (from) => ({ from, subject: await subject(from) }))),
      conflicts,
      dryRun: true,
    }
  }
  const planned = await Promise.all(plan.picks.map(async (p) => ({ from: p.commit, subject: await subject(p.commit) })))
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
  // Fetching re-reads the refs, so the index learns the new commits (the local branch is not the fetch's to move).
  await repos.fetch(service)
  const index = await repos.index(service)
  const made = index.range([onto], tip).reverse()
  return {
    ok: true,
    tip,
    picked: planned.map((p, i) => ({ ...p, ...(made[i] !== undefined ? { to: made[i] } : {}) })),
    conflicts: [],
    dryRun: false,
  }
}

/**
 * Pushes the local hotfix branch with a lease on the remote branch as last fetched (absent: it must not exist), then
 * fetches. Refuses to overwrite a remote tip the local branch does not descend from (someone else's fix).
 */
export async function pushHotfix(repos: ServiceRepos, service: string, branch: string): Promise<Sha> {
  const sha = await localTip(repos, service, branch)
  const expectedRemoteSha = (await repos.clones.refs(service)).refs.get(`refs/remotes/origin/${branch}`)
  if (expectedRemoteSha !== undefined && expectedRemoteSha !== sha) {
    const index = await repos.index(service)
    if (!index.has(expectedRemoteSha) || !index.has(sha) || !index.isAncestor(expectedRemoteSha, sha)) {
      throw new AppError(
        'push-rejected',
        `The remote ${branch} of ${service} (${expectedRemoteSha.slice(0, 12)}) has commits the local branch lacks; pick onto the remote's tip instead of overwriting it.`,
        { service, branch, expected: expectedRemoteSha, local: sha },
      )
    }
  }
  await repos.clones.pushBranch(repos.source(service), { branch, sha, expectedRemoteSha })
  await repos.fetch(service)
  return sha
}
