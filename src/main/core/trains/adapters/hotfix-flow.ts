import { AppError } from '../../../../shared/errors'
import type { TrainBoard } from '../../../../shared/models/trains'
import type { Sha } from '../../../../shared/models/workspace'
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

/**
 * Opens a hotfix branch: an existing one (local, or only on the remote and then taken up locally) is left as it is
 * and reported with `created: false`; otherwise the local branch is made at `base()`. A `requested` base that differs
 * from an existing branch's tip is refused: the branch already carries fixes and is never moved.
 */
export async function openHotfixBranch(
  repos: ServiceRepos,
  service: string,
  branch: string,
  base: () => Promise<Sha>,
  requested?: Sha,
): Promise<{ tip: Sha; created: boolean }> {
  const refs = (await repos.clones.refs(service)).refs
  const existing = refs.get(`refs/heads/${branch}`) ?? refs.get(`refs/remotes/origin/${branch}`)
  if (existing !== undefined) {
    if (requested !== undefined && requested !== existing) {
      throw new AppError(
        'invalid-input',
        `The branch ${branch} of ${service} already exists at ${existing.slice(0, 12)}; pick onto it instead, or delete it once its fixes are everywhere.`,
      )
    }
    return { tip: await localTip(repos, service, branch), created: false }
  }
  const sha = requested ?? (await base())
  await repos.clones.createBranch(service, branch, sha)
  return { tip: sha, created: true }
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
