import { Octokit } from '@octokit/rest'
import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import { policyFetch, type FetchLike } from '../../http/client'
import { originOf } from '../../http/urls'
import { toGitHubError } from './errors'
import { toPull } from './models'
import type { DeployEndState, DeployStartRecord, GitHubDeploymentRef, LiveDeployment, PullRequestInfo } from './models'

/** Options of the GitHub client. */
export interface GitHubOptions {
  /** REST root: https://api.github.com, or https://host/api/v3 for Enterprise Server. */
  baseUrl: string
  /** Looked up on every request so a changed credential takes effect at once. */
  token?: () => Promise<string | undefined>
  /** The credential's name, for error messages. */
  credential?: string
  fetch?: FetchLike
  clock?: () => Date
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal
}

/** The GitHub calls Trainyard makes; every failure is an AppError. */
export interface GitHub {
  pullRequest(owner: string, repo: string, number: number, opts?: CallOptions): Promise<PullRequestInfo>
  /** Pull requests that introduced a commit (merged), or open ones containing it (C.10). */
  pullsForCommit(owner: string, repo: string, sha: string, opts?: CallOptions): Promise<PullRequestInfo[]>
  /** Creates a deployment of exactly `sha` (no auto-merge, no status checks) and marks it in_progress. */
  recordDeployStart(record: DeployStartRecord, opts?: CallOptions): Promise<GitHubDeploymentRef>
  /** Adds the final status to a deployment. */
  recordDeployEnd(ref: GitHubDeploymentRef, state: DeployEndState, logUrl?: string, opts?: CallOptions): Promise<void>
  /** Adds any status to a deployment (the ledger uses it to finish a start whose status write failed). */
  setDeploymentStatus(
    ref: GitHubDeploymentRef,
    state: DeployEndState | 'in_progress',
    logUrl?: string,
    opts?: CallOptions,
  ): Promise<void>
  /** Deployments of `sha` to `environment` whose payload carries this Trainyard run key, newest first. */
  findDeployment(
    owner: string,
    repo: string,
    sha: Sha,
    environment: string,
    runKey: string,
    opts?: CallOptions,
  ): Promise<GitHubDeploymentRef | undefined>
  /** The token's request budget (`GET /rate_limit`, which spends none of it); undefined when the server sends no limits. */
  rateLimit(opts?: CallOptions): Promise<{ remaining: string; limit: string } | undefined>
  /** The newest deployment to `environment` whose latest status is `success`, scanning at most `scan` deployments. */
  liveDeployment(
    owner: string,
    repo: string,
    environment: string,
    opts?: CallOptions & { scan?: number },
  ): Promise<LiveDeployment | undefined>
}

/** Builds the GitHub client over @octokit/rest. */
export function createGitHub(options: GitHubOptions): GitHub {
  const clock = options.clock ?? (() => new Date())
  const octokit = new Octokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'trainyard',
    // Octokit's requests go through the one HTTP client: its redirect rule, body limit and transport errors.
    request: {
      fetch: policyFetch({
        label: `GitHub at ${originOf(options.baseUrl)}`,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  })
  octokit.hook.before('request', async (request) => {
    const token = await options.token?.()
    if (token) request.headers.authorization = `token ${token}`
  })

  async function call<T>(
    repo: string,
    doing: string,
    opts: CallOptions | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw toGitHubError(
        error,
        { repo, doing, credential: options.credential, aborted: opts?.signal?.aborted },
        clock(),
      )
    }
  }
  const setStatus = (
    ref: GitHubDeploymentRef,
    state: DeployEndState | 'in_progress',
    logUrl: string | undefined,
    opts?: CallOptions,
  ): Promise<void> =>
    call(`${ref.owner}/${ref.repo}`, `setting deployment ${ref.id} to ${state}`, opts, async () => {
      await octokit.rest.repos.createDeploymentStatus({
        owner: ref.owner,
        repo: ref.repo,
        deployment_id: ref.id,
        state,
        ...(logUrl ? { log_url: logUrl } : {}),
        ...req(opts),
      })
    })
  const req = (opts?: CallOptions): { request: { signal?: AbortSignal } } => ({
    request: opts?.signal ? { signal: opts.signal } : {},
  })

  return {
    pullRequest: (owner, repo, number, opts) =>
      call(`${owner}/${repo}`, `reading pull request #${number}`, opts, async () => {
        const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number, ...req(opts) })
        return toPull(data)
      }),

    pullsForCommit: (owner, repo, sha, opts) =>
      call(`${owner}/${repo}`, `listing pull requests of ${sha.slice(0, 12)}`, opts, async () => {
        const list = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
          owner,
          repo,
          commit_sha: sha,
          per_page: 100,
          ...req(opts),
        })
        return list.map(toPull)
      }),

    recordDeployStart: (record, opts) =>
      call(`${record.owner}/${record.repo}`, `recording a deploy to ${record.environment}`, opts, async () => {
        const { owner, repo } = record
        const created = await octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: record.sha,
          environment: record.environment,
          description: record.description.slice(0, 140),
          auto_merge: false,
          required_contexts: [],
          transient_environment: false,
          payload: record.payload ?? {},
          ...req(opts),
        })
        // 202 means GitHub auto-merged instead of deploying; with auto_merge false it should not happen.
        if (created.status !== 201 || !('id' in created.data)) {
          throw new AppError(
            'bad-response',
            `GitHub did not create a deployment of ${record.sha.slice(0, 12)} (HTTP ${created.status}).`,
          )
        }
        const ref = { owner, repo, id: created.data.id }
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: ref.id,
          state: 'in_progress',
          ...(record.logUrl ? { log_url: record.logUrl } : {}),
          ...req(opts),
        })
        return ref
      }),

    recordDeployEnd: (ref, state, logUrl, opts) => setStatus(ref, state, logUrl, opts),
    setDeploymentStatus: (ref, state, logUrl, opts) => setStatus(ref, state, logUrl, opts),

    findDeployment: (owner, repo, sha, environment, runKey, opts) =>
      call(`${owner}/${repo}`, `looking for the deployment of run ${runKey}`, opts, async () => {
        const { data } = await octokit.rest.repos.listDeployments({
          owner,
          repo,
          sha,
          environment,
          per_page: 100,
          ...req(opts),
        })
        const found = data.find((d) => {
          const payload = d.payload as { trainyardRun?: unknown } | string
          return typeof payload === 'object' && payload.trainyardRun === runKey
        })
        return found ? { owner, repo, id: found.id } : undefined
      }),

    rateLimit: (opts) =>
      call('', 'checking the token', opts, async () => {
        const { headers } = await octokit.request('GET /rate_limit', req(opts))
        const remaining = headers['x-ratelimit-remaining']
        const limit = headers['x-ratelimit-limit']
        return remaining !== undefined && limit !== undefined
          ? { remaining: String(remaining), limit: String(limit) }
          : undefined
      }),

    liveDeployment: (owner, repo, environment, opts) =>
      call(`${owner}/${repo}`, `reading deployments to ${environment}`, opts, async () => {
        const scan = opts?.scan ?? 30
        let seen = 0
        // Walk newest → oldest; the list order is undocumented (observed newest first), so sort each page.
        for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
          owner,
          repo,
          environment,
          per_page: Math.min(scan, 30),
          ...req(opts),
        })) {
          const deployments = page.data.slice().sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
          for (const d of deployments) {
            if (seen++ >= scan) return undefined
            const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
              owner,
              repo,
              deployment_id: d.id,
              per_page: 100,
              ...req(opts),
            })
            // The newest status is the current state; pick it by id rather than trusting the order.
            const latest = statuses.reduce<(typeof statuses)[number] | undefined>(
              (a, s) => (a && a.id > s.id ? a : s),
              undefined,
            )
            if (latest?.state === 'success') {
              return {
                id: d.id,
                sha: d.sha,
                environment: d.environment,
                createdAt: d.created_at,
                ...(d.creator ? { creator: d.creator.login } : {}),
              }
            }
          }
        }
        return undefined
      }),
  }
}
