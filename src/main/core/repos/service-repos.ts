import { join } from 'node:path'
import type { RepoStatus } from '../../../shared/api/views'
import { AppError } from '../../../shared/errors'
import type { CommitSummary } from '../../../shared/models/commits'
import type { Service, Sha, Workspace } from '../../../shared/models/workspace'
import type { Clones, FetchOutcome, RepoSource } from '../git/clone/clones'
import type { CommitIndex } from '../git/commit-index'
import { openCommitIndex } from '../git/commit-index-open'

/** A service's clone and commit index, the ground for every offline answer about its history. */
export class ServiceRepos {
  private readonly indexes = new Map<string, Promise<CommitIndex>>()

  constructor(
    private readonly workspace: Workspace,
    readonly clones: Clones,
    private readonly cacheDir: string,
  ) {}

  /** The services in workspace order. */
  get services(): Service[] {
    return this.workspace.services
  }

  /** A service by name, or AppError('not-found') listing the known ones. */
  service(name: string): Service {
    const found = this.workspace.services.find((s) => s.name === name)
    if (!found)
      throw new AppError(
        'not-found',
        `No service is called "${name}"; the workspace has ${this.workspace.services.map((s) => s.name).join(', ')}.`,
      )
    return found
  }

  source(name: string): RepoSource {
    const service = this.service(name)
    return {
      service: service.name,
      url: service.repo.url,
      ...(service.repo.credential ? { credential: service.repo.credential } : {}),
    }
  }

  /** The commit index of a service, cloning it first when there is no clone yet. */
  index(name: string): Promise<CommitIndex> {
    let index = this.indexes.get(name)
    if (!index) {
      index = this.openIndex(name)
      this.indexes.set(name, index)
      index.catch(() => this.indexes.delete(name))
    }
    return index
  }

  /** The index if the service has been cloned and indexed already (never clones). */
  async indexIfReady(name: string): Promise<CommitIndex | undefined> {
    const status = await this.clones.status(name)
    if (status.state !== 'ready' && !this.indexes.has(name)) return undefined
    return this.index(name).catch(() => undefined)
  }

  /** Fetches one service (cloning when needed) and refreshes its index incrementally. */
  async fetch(name: string, signal?: AbortSignal): Promise<FetchOutcome> {
    const outcome = await this.clones.open(this.source(name), signal ? { signal } : {})
    const fetched = outcome.cloned ? outcome : await this.clones.fetch(this.source(name), signal ? { signal } : {})
    this.indexes.delete(name)
    await this.index(name)
    return fetched
  }

  /** Reads the clone's refs again so the index learns commits written here (a pick); no network. */
  async reindex(name: string): Promise<CommitIndex> {
    this.indexes.delete(name)
    return this.index(name)
  }

  async status(): Promise<RepoStatus[]> {
    return Promise.all(
      this.workspace.services.map(async (s) => {
        const status = await this.clones.status(s.name)
        const index = this.indexes.has(s.name) ? await this.indexes.get(s.name)?.catch(() => undefined) : undefined
        return index ? { ...status, commits: index.size } : status
      }),
    )
  }

  /**
   * The SHA an input names in a service: full or short SHA, branch (the remote's, as fetched), tag,
   * `origin/<branch>`, or `#N` for a pull request.
   */
  async resolve(name: string, input: string): Promise<Sha> {
    const index = await this.index(name)
    const text = input.trim()
    const pr = /^#(\d+)$/.exec(text)
    if (pr) {
      const found = index.findByPr(Number(pr[1]))
      const first = found[0]
      if (first === undefined)
        throw new AppError(
          'not-found',
          `No commit in ${name} mentions pull request ${text}; fetch if it was merged recently.`,
        )
      return first
    }
    return index.resolve(text, branchAliases(index.refs))
  }

  /** A commit as lists show it; undefined when the index does not hold it. */
  async summary(name: string, sha: Sha): Promise<CommitSummary | undefined> {
    return summaryOf(await this.index(name), sha)
  }

  private async openIndex(name: string): Promise<CommitIndex> {
    const status = await this.clones.status(name)
    if (status.state !== 'ready') await this.clones.open(this.source(name))
    return openCommitIndex({
      gitdir: this.clones.gitdir(name),
      cacheFile: join(this.cacheDir, 'commit-index', `${name}.idx`),
    })
  }
}

/** Refs where a plain branch name also finds the remote's branch (`master` → `refs/remotes/origin/master`). */
export function branchAliases(refs: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(refs)
  for (const [ref, sha] of refs) {
    if (!ref.startsWith('refs/remotes/origin/')) continue
    const branch = ref.slice('refs/remotes/origin/'.length)
    if (branch !== 'HEAD' && !out.has(`refs/heads/${branch}`)) out.set(`refs/heads/${branch}`, sha)
  }
  return out
}

/** A commit of an index as a CommitSummary. */
export function summaryOf(index: CommitIndex, sha: Sha): CommitSummary | undefined {
  const record = index.get(sha)
  if (!record) return undefined
  return {
    sha: record.sha,
    parents: record.parents,
    author: { name: record.authorName, email: record.authorEmail },
    time: new Date(record.time * 1000).toISOString(),
    subject: record.subject,
    ...(record.pr !== undefined ? { pr: record.pr } : {}),
    ...(record.pickedFrom !== undefined && index.has(record.pickedFrom)
      ? { cherryPickOf: { sha: record.pickedFrom, via: 'trailer' as const } }
      : {}),
  }
}
