import { AppError } from '../../../../shared/errors'
import { endpointOf, fill } from '../probe-context'
import type { Probe } from '../probe-context'
import { clientFor, serviceEndpoint } from './service-endpoint'

/** The SHA of the newest deployment to the environment whose latest status is `success` (Part D.2). */
export const githubProbe: Probe<'github'> = async (config, ctx) => {
  if (!ctx.github) {
    throw new AppError(
      'invalid-workspace',
      `${ctx.service} has a GitHub Deployments probe but no github owner/repo in the workspace file.`,
    )
  }
  const { owner, repo } = ctx.github
  const endpoint = ctx.github.endpoint
    ? endpointOf(ctx, ctx.github.endpoint, 'github')
    : serviceEndpoint(ctx.endpoints, undefined)?.endpoint
  const github = clientFor(endpoint, { secret: ctx.secret, fetch: ctx.fetch })
  const environment = fill(config.environment, ctx)
  const live = await github.liveDeployment(owner, repo, environment, { signal: ctx.signal })
  if (!live)
    throw new AppError('not-found', `GitHub has no successful deployment of ${owner}/${repo} to ${environment}.`)
  return { raw: live.sha }
}
