import type { Sha } from '../../../../shared/models/workspace'

/** A pull request in the cockpit's words. */
export interface PullRequestInfo {
  number: number
  title: string
  /** The commit GitHub made when merging (merge, squash or rebase result); undefined until merged. */
  mergeSha?: Sha
  headSha: Sha
  state: 'open' | 'closed'
  merged: boolean
  url: string
}

/** A deployment recorded on GitHub, enough to add statuses to it later. */
export interface GitHubDeploymentRef {
  owner: string
  repo: string
  id: number
}

/** What a deploy run tells the ledger when it starts. */
export interface DeployStartRecord {
  owner: string
  repo: string
  sha: Sha
  environment: string
  description: string
  logUrl?: string
  /** Free-form data echoed back by GitHub; Trainyard puts its run id here to find the deployment again. */
  payload?: Record<string, unknown>
}

/** How a deploy run ended, as a GitHub deployment status. */
export type DeployEndState = 'success' | 'failure' | 'error'

/** The deployment an environment runs according to GitHub Deployments (Part D.2). */
export interface LiveDeployment {
  id: number
  sha: Sha
  environment: string
  createdAt: string
  creator?: string
}

/** The fields of a pull request (`pull-request-simple` or full) the cockpit reads. */
export interface PullShape {
  number: number
  title: string
  state: string
  merge_commit_sha?: string | null
  merged_at?: string | null
  head: { sha: string }
  html_url: string
}

/** A GitHub pull request in the cockpit's words. */
export function toPull(p: PullShape): PullRequestInfo {
  const merged = Boolean(p.merged_at)
  return {
    number: p.number,
    title: p.title,
    ...(merged && p.merge_commit_sha ? { mergeSha: p.merge_commit_sha } : {}),
    headSha: p.head.sha,
    state: p.state === 'closed' ? 'closed' : 'open',
    merged,
    url: p.html_url,
  }
}
