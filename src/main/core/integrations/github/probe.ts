import { AppError } from '../../../../shared/errors'
import { createGitHub } from './client'
import { endpointOf, fill } from '../probe-context'
import type { Endpoint } from '../../../../shared/models/workspace'
import type { Probe, ProbeContext } from '../probe-context'

/** Default REST root when the service names no GitHub endpoint. */
const GITHUB_API = 'https://api.github.com'

/** The SHA of the newest deployment to the environment whose latest status is `success` (Part D.2). */
export const githubProbe: Probe<'github'> = async (config, ctx) => {
  if (!ctx.github) {
    throw new AppError(
      'invalid-workspace',
      `${ctx.service} has a GitHub Deployments probe but no github owner/repo in the workspace file.`,
    )
  }
  const { owner, repo } = ctx.github
  const endpoint = ctx.github.endpoint ? endpointOf(ctx, ctx.github.endpoint, 'github') : onlyGitHubEndpoint(ctx)
  const credential = endpoint?.credential
  const github = createGitHub({
    baseUrl: endpoint?.url ?? GITHUB_API,
    fetch: ctx.fetch,
    ...(credential ? { credential, token: () => ctx.secret(credential) } : {}),
  })
  const environment = fill(config.environment, ctx)
  const live = await github.liveDeployment(owner, repo, environment, { signal: ctx.signal })
  if (!live)
    throw new AppError('not-found', `GitHub has no successful deployment of ${owner}/${repo} to ${environment}.`)
  return { raw: live.sha }
}

/** With no endpoint named, the workspace's GitHub endpoint when it has exactly one (its token included). */
function onlyGitHubEndpoint(ctx: ProbeContext): Extract<Endpoint, { kind: 'github' }> | undefined {
  const all = Object.values(ctx.endpoints).filter((e) => e.kind === 'github')
  return all.length === 1 ? all[0] : undefined
}
