import type {
  DeploymentState,
  GitHubStore,
  SeedPull,
  SimDeployment,
  SimDeploymentStatus,
  SimRepo,
} from './github-store'
import { DEPLOYMENT_STATES } from './github-store'

/*
 * The REST routes the GitHub simulator serves, as pure functions from a parsed request to a reply.
 * Shapes follow shared/contracts/deploy-apis.md C.5, C.9–C.11.
 */

/** A parsed request the routes see. */
export interface RouteRequest {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
  /** The login of the caller, or undefined when anonymous. */
  login: string | undefined
  /** `http://host:port` as the client addressed us, for URLs in bodies. */
  base: string
}

/** A reply: status, JSON body, optional extra headers; `list` replies are paginated by the server. */
export interface RouteReply {
  status: number
  body?: unknown
  list?: unknown[]
  headers?: Record<string, string>
}

const DOCS = 'https://docs.github.com/rest'

/** A GitHub error body (`basic-error`). */
export function errorReply(status: number, message: string, extra: Record<string, unknown> = {}): RouteReply {
  return { status, body: { message, documentation_url: DOCS, status: String(status), ...extra } }
}

/** Routes one request; undefined when no route matches (the server answers 404). */
export function route(store: GitHubStore, req: RouteRequest): RouteReply | undefined {
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(req.path)
  if (!m) return undefined
  const repo = store.repo(decodeURIComponent(m[1] ?? ''), decodeURIComponent(m[2] ?? ''))
  // GitHub answers 404 rather than 403 for a private repository the caller cannot see.
  const hidden =
    repo?.private && (req.login === undefined || (repo.collaborators && !repo.collaborators.has(req.login)))
  if (!repo || hidden) return errorReply(404, 'Not Found')
  const rest = m[3] ?? ''
  const base = `${req.base}/repos/${repo.owner}/${repo.name}`
  let p: RegExpExecArray | null
  if (rest === '' && req.method === 'GET') return { status: 200, body: repoJson(repo, req.base) }
  if ((p = /^\/pulls\/(\d+)$/.exec(rest)) && req.method === 'GET') {
    const pull = repo.pulls.get(Number(p[1]))
    return pull ? { status: 200, body: pullJson(pull, base) } : errorReply(404, 'Not Found')
  }
  if ((p = /^\/commits\/([^/]+)\/pulls$/.exec(rest)) && req.method === 'GET') {
    const sha = decodeURIComponent(p[1] ?? '')
    const pulls = [...repo.pulls.values()].filter((pull) => pull.commits?.includes(sha) || pull.headRef === sha)
    return { status: 200, list: pulls.sort((a, b) => b.number - a.number).map((pull) => pullJson(pull, base)) }
  }
  if (rest === '/deployments' && req.method === 'POST') return createDeployment(store, repo, req, base)
  if (rest === '/deployments' && req.method === 'GET') {
    const f = (k: string): string | null => req.query.get(k)
    const list = repo.deployments
      .filter(
        (d) =>
          (f('environment') === null || d.environment === f('environment')) &&
          (f('sha') === null || d.sha === f('sha')),
      )
      .filter((d) => (f('ref') === null || d.ref === f('ref')) && (f('task') === null || d.task === f('task')))
      .slice()
      .reverse()
    return { status: 200, list: list.map((d) => deploymentJson(d, base)) }
  }
  if ((p = /^\/deployments\/(\d+)(\/statuses)?$/.exec(rest))) {
    const deployment = repo.deployments.find((d) => d.id === Number(p?.[1]))
    if (!deployment) return errorReply(404, 'Not Found')
    if (!p[2] && req.method === 'GET') return { status: 200, body: deploymentJson(deployment, base) }
    if (p[2] && req.method === 'GET') {
      return {
        status: 200,
        list: deployment.statuses
          .slice()
          .reverse()
          .map((s) => statusJson(s, deployment, base)),
      }
    }
    if (p[2] && req.method === 'POST') return createStatus(store, repo, deployment, req, base)
  }
  return undefined
}

function createDeployment(store: GitHubStore, repo: SimRepo, req: RouteRequest, base: string): RouteReply {
  if (req.login === undefined) return errorReply(404, 'Not Found')
  const body = (req.body ?? {}) as Record<string, unknown>
  if (typeof body.ref !== 'string' || body.ref === '') {
    return errorReply(422, 'Invalid request.\n\n"ref" wasn\'t supplied.', {
      errors: [{ resource: 'Deployment', field: 'ref', code: 'missing_field' }],
    })
  }
  const ref = body.ref
  const sha = /^[0-9a-f]{40}$/.test(ref) ? ref : repo.refs.get(ref)
  if (!sha) return errorReply(422, `No ref found for: ${ref}`)
  if (body.auto_merge !== false && repo.behindDefault.has(ref)) {
    repo.behindDefault.delete(ref)
    return { status: 202, body: { message: `Auto-merged ${repo.defaultBranch} into ${ref} on deployment.` } }
  }
  const requiredContexts = body.required_contexts
  if (!Array.isArray(requiredContexts) || requiredContexts.length > 0) {
    if (repo.failingChecks.has(sha)) return errorReply(409, `Conflict: Commit status checks failed for ${ref}.`)
  }
  const environment = typeof body.environment === 'string' ? body.environment : 'production'
  const deployment = store.createDeployment(repo, {
    sha,
    ref,
    task: typeof body.task === 'string' ? body.task : 'deploy',
    payload: body.payload ?? {},
    environment,
    originalEnvironment: environment,
    description: typeof body.description === 'string' || body.description === null ? body.description : '',
    transientEnvironment: body.transient_environment === true,
    productionEnvironment:
      typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
    creator: req.login,
  })
  return { status: 201, body: deploymentJson(deployment, base) }
}

function createStatus(
  store: GitHubStore,
  repo: SimRepo,
  deployment: SimDeployment,
  req: RouteRequest,
  base: string,
): RouteReply {
  if (req.login === undefined) return errorReply(404, 'Not Found')
  const body = (req.body ?? {}) as Record<string, unknown>
  const state = body.state
  if (typeof state !== 'string' || !(DEPLOYMENT_STATES as readonly string[]).includes(state)) {
    return errorReply(422, 'Validation Failed', {
      errors: [{ resource: 'DeploymentStatus', field: 'state', code: 'invalid' }],
    })
  }
  const description = typeof body.description === 'string' ? body.description : ''
  if (description.length > 140) {
    return errorReply(422, 'Validation Failed', {
      errors: [{ resource: 'DeploymentStatus', field: 'description', code: 'custom' }],
    })
  }
  const str = (k: string): string | undefined => (typeof body[k] === 'string' ? body[k] : undefined)
  const status = store.addStatus(
    repo,
    deployment,
    {
      state: state as DeploymentState,
      description,
      environment: str('environment') ?? deployment.statuses.at(-1)?.environment ?? deployment.environment,
      logUrl: str('log_url') ?? str('target_url') ?? '',
      environmentUrl: str('environment_url') ?? '',
      creator: req.login,
    },
    body.auto_inactive !== false,
  )
  const json = statusJson(status, deployment, base)
  return { status: 201, body: json, headers: { location: json.url } }
}

function user(login: string): Record<string, unknown> {
  return { login, id: login.length * 1000 + login.charCodeAt(0), type: 'User', site_admin: false }
}

function repoJson(repo: SimRepo, root: string): Record<string, unknown> {
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: user(repo.owner),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    default_branch: repo.defaultBranch,
    archived: false,
    disabled: false,
    html_url: `https://github.example/${repo.owner}/${repo.name}`,
    url: `${root}/repos/${repo.owner}/${repo.name}`,
  }
}

function pullJson(pull: SeedPull, base: string): Record<string, unknown> {
  const merged = pull.mergeCommitSha ? (pull.mergedAt ?? '2024-01-01T00:00:00Z') : null
  return {
    url: `${base}/pulls/${pull.number}`,
    number: pull.number,
    title: pull.title,
    state: pull.state ?? (merged ? 'closed' : 'open'),
    draft: false,
    user: user(pull.user ?? 'octocat'),
    html_url: `https://github.example/pull/${pull.number}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    closed_at: merged,
    merged_at: merged,
    merge_commit_sha: pull.mergeCommitSha ?? null,
    head: { label: `octocat:${pull.headRef ?? 'topic'}`, ref: pull.headRef ?? 'topic', sha: pull.headSha },
    base: {
      label: `octocat:${pull.baseRef ?? 'main'}`,
      ref: pull.baseRef ?? 'main',
      sha: pull.mergeCommitSha ?? pull.headSha,
    },
    labels: [],
  }
}

function deploymentJson(d: SimDeployment, base: string): Record<string, unknown> {
  return {
    url: `${base}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: user(d.creator),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${base}/deployments/${d.id}/statuses`,
    repository_url: base,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
  }
}

function statusJson(s: SimDeploymentStatus, d: SimDeployment, base: string): { url: string } & Record<string, unknown> {
  return {
    url: `${base}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: user(s.creator),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${base}/deployments/${d.id}`,
    repository_url: base,
  }
}
