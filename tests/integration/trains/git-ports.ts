import type { CommitSummary } from '../../../src/shared/models/commits'
import type { TrainPorts } from '../../../src/main/core/trains/ports'
import { firstParentAtTime, type CommitTimes } from '../../../src/main/core/trains/sha-at-time'
import type { TestRepo } from '../../support/git-repo'

/*
 * The trains' ports answered by the git CLI over one test repository per service: the oracle the lead's
 * commit index must agree with. Patch-ids use the pinned definition from GIT-NOTES.md.
 */

const TRAILER = /\(cherry picked from commit ([0-9a-f]{40})\)/

function repoOf(repos: Record<string, TestRepo>, service: string): TestRepo {
  const repo = repos[service]
  if (repo === undefined) throw new Error(`no test repo for ${service}`)
  return repo
}

/** Commit times and parents read with `git show`, cached (commits never change). */
export function gitCommitTimes(repo: TestRepo): CommitTimes {
  const cache = new Map<string, { parents: string[]; time: number }>()
  return {
    get(sha) {
      let c = cache.get(sha)
      if (c === undefined) {
        const [parents = '', time = '0'] = repo.git('show', '-s', '--format=%P%x00%ct', sha).split('\0')
        c = { parents: parents.split(' ').filter((p) => p !== ''), time: Number(time) }
        cache.set(sha, c)
      }
      return c
    },
  }
}

const patchIds = new Map<string, string | undefined>()

function patchId(repo: TestRepo, sha: string): string | undefined {
  const key = `${repo.path} ${sha}`
  if (patchIds.has(key)) return patchIds.get(key)
  const id = computePatchId(repo, sha)
  patchIds.set(key, id)
  return id
}

function computePatchId(repo: TestRepo, sha: string): string | undefined {
  const diff = repo.gitWith(
    ['diff-tree', '-p', '--full-index', '--no-renames', '--histogram', '--no-indent-heuristic', sha],
    {},
  )
  const out = repo.gitWith(['patch-id', '--stable'], { input: diff }).trim()
  return out === '' ? undefined : out.split(' ')[0]
}

/** Parses `git log` records into commit summaries, newest first. */
function summaries(repo: TestRepo, args: string[]): CommitSummary[] {
  const raw = repo.git('log', '--format=%H%x00%P%x00%an%x00%ae%x00%cI%x00%s%x00%b%x1e', ...args)
  return raw
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r !== '')
    .map((r) => {
      const [sha = '', parents = '', name = '', email = '', time = '', subject = '', body = ''] = r.split('\0')
      const c: CommitSummary = {
        sha,
        parents: parents.split(' ').filter((p) => p !== ''),
        author: { name, email },
        time,
        subject,
      }
      const pr = /\(#(\d+)\)|pull request #(\d+)/.exec(subject)
      if (pr !== null) c.pr = Number(pr[1] ?? pr[2])
      const picked = TRAILER.exec(body)
      if (picked?.[1] !== undefined) c.cherryPickOf = { sha: picked[1], via: 'trailer' }
      return c
    })
}

/** Answers that never change (commits are immutable), shared by every set of ports over the same repos. */
export interface GitCaches {
  times: Map<string, CommitTimes>
  ancestry: Map<string, boolean>
}

/** Empty caches for `gitPorts`. */
export function gitCaches(): GitCaches {
  return { times: new Map(), ancestry: new Map() }
}

/** TrainPorts over real repositories, one per service; branch tips are read once per set of ports. */
export function gitPorts(repos: Record<string, TestRepo>, caches: GitCaches = gitCaches()): TrainPorts {
  const { times, ancestry } = caches
  const tips = new Map<string, string>()
  return {
    shaAtTime(service, branch, instant) {
      const repo = repoOf(repos, service)
      let t = times.get(service)
      if (t === undefined) times.set(service, (t = gitCommitTimes(repo)))
      let tip = tips.get(`${service} ${branch}`)
      if (tip === undefined) {
        tip = repo.git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`)
        tips.set(`${service} ${branch}`, tip)
      }
      return firstParentAtTime(t, tip, instant)
    },
    isAncestor(service, ancestor, descendant) {
      const key = `${service} ${ancestor} ${descendant}`
      let answer = ancestry.get(key)
      if (answer === undefined) {
        try {
          repoOf(repos, service).git('merge-base', '--is-ancestor', ancestor, descendant)
          answer = true
        } catch {
          answer = false
        }
        ancestry.set(key, answer)
      }
      return answer
    },
    range(service, exclude, include) {
      return summaries(repoOf(repos, service), exclude === undefined ? [include] : [include, `^${exclude}`])
    },
    equivalent(service, sha, inHistoryOf) {
      const repo = repoOf(repos, service)
      const history = summaries(repo, [inHistoryOf])
      const own = summaries(repo, ['-1', sha])[0]
      const viaTrailer = history.find(
        (c) => c.cherryPickOf?.sha === sha || (own?.cherryPickOf !== undefined && c.sha === own.cherryPickOf.sha),
      )
      if (viaTrailer !== undefined) return viaTrailer.sha
      const id = patchId(repo, sha)
      return id === undefined ? undefined : history.find((c) => c.sha !== sha && patchId(repo, c.sha) === id)?.sha
    },
  }
}
