/*
 * The data behind the GitHub simulator: repositories, pull requests and the Deployments ledger,
 * shaped as in shared/contracts/deploy-apis.md Part C. Pure state; the HTTP side is github-simulator.ts.
 */

/** A pull request as tests seed it; the rest of `pull-request-simple` is derived. */
export interface SeedPull {
  number: number
  title: string
  headSha: string
  headRef?: string
  baseRef?: string
  /** Null/absent while open or closed unmerged. */
  mergeCommitSha?: string | null
  mergedAt?: string | null
  state?: 'open' | 'closed'
  user?: string
  /** Commits whose `GET /commits/{sha}/pulls` lists this pull request. */
  commits?: string[]
}

/** How a test creates a repository. */
export interface RepoOptions {
  private?: boolean
  defaultBranch?: string
  /** Branch and tag names to SHAs. */
  refs?: Record<string, string>
  /** For a private repo: the logins that can see it; others get 404. */
  collaborators?: string[]
}

/** A simulated repository. */
export interface SimRepo {
  owner: string
  name: string
  id: number
  private: boolean
  defaultBranch: string
  /** Branch and tag names to SHAs, so a deployment `ref` resolves to its `sha`. */
  refs: Map<string, string>
  pulls: Map<number, SeedPull>
  deployments: SimDeployment[]
  /** SHAs whose commit status checks are failing (createDeployment without `required_contexts: []` → 409). */
  failingChecks: Set<string>
  /** For a private repo: the logins that can see it (undefined: every valid token). */
  collaborators?: Set<string>
  /** Branches behind the default branch: createDeployment with auto_merge answers 202 once (it "merged"). */
  behindDefault: Set<string>
}

/** A deployment with its statuses (oldest first internally). */
export interface SimDeployment {
  id: number
  sha: string
  ref: string
  task: string
  payload: unknown
  environment: string
  originalEnvironment: string
  description: string | null
  transientEnvironment: boolean
  productionEnvironment: boolean
  creator: string
  createdAt: string
  updatedAt: string
  statuses: SimDeploymentStatus[]
}

/** One deployment status. */
export interface SimDeploymentStatus {
  id: number
  state: DeploymentState
  description: string
  environment: string
  logUrl: string
  environmentUrl: string
  creator: string
  createdAt: string
}

/** The states a deployment status may take. */
export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

/** Every deployment status state GitHub accepts. */
export const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
]

/** All repositories of one simulator, with id counters. */
export class GitHubStore {
  readonly repos = new Map<string, SimRepo>()
  private nextRepoId = 1000
  private nextDeploymentId = 1
  private nextStatusId = 1

  constructor(private readonly clock: () => Date) {}

  /** Creates (or replaces) a repository. */
  addRepo(owner: string, name: string, opts: RepoOptions = {}): SimRepo {
    const repo: SimRepo = {
      owner,
      name,
      id: this.nextRepoId++,
      private: opts.private ?? false,
      defaultBranch: opts.defaultBranch ?? 'main',
      refs: new Map(Object.entries(opts.refs ?? {})),
      pulls: new Map(),
      deployments: [],
      failingChecks: new Set(),
      behindDefault: new Set(),
      ...(opts.collaborators ? { collaborators: new Set(opts.collaborators) } : {}),
    }
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo)
    return repo
  }

  /** The repository, if any. */
  repo(owner: string, name: string): SimRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase())
  }

  /** Adds a deployment as `POST /deployments` would after validation. */
  createDeployment(
    repo: SimRepo,
    input: Omit<SimDeployment, 'id' | 'createdAt' | 'updatedAt' | 'statuses'>,
  ): SimDeployment {
    const now = this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
    const deployment: SimDeployment = {
      ...input,
      id: this.nextDeploymentId++,
      createdAt: now,
      updatedAt: now,
      statuses: [],
    }
    repo.deployments.push(deployment)
    return deployment
  }

  /**
   * Adds a status. A `success` with autoInactive marks earlier successful deployments of the same
   * environment inactive, except transient and production ones (C.11.4).
   */
  addStatus(
    repo: SimRepo,
    deployment: SimDeployment,
    input: Omit<SimDeploymentStatus, 'id' | 'createdAt'>,
    autoInactive: boolean,
  ): SimDeploymentStatus {
    const now = this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
    const status: SimDeploymentStatus = { ...input, id: this.nextStatusId++, createdAt: now }
    deployment.statuses.push(status)
    deployment.updatedAt = now
    if (input.state === 'success' && autoInactive) {
      for (const other of repo.deployments) {
        if (other === deployment || other.environment !== deployment.environment) continue
        if (other.transientEnvironment || other.productionEnvironment) continue
        if (other.statuses.at(-1)?.state !== 'success') continue
        other.statuses.push({ ...input, state: 'inactive', id: this.nextStatusId++, createdAt: now, description: '' })
      }
    }
    return status
  }
}
