import { AppError } from '../../../shared/errors'
import type { DeployJobConfig, Workspace } from '../../../shared/models/workspace'
import type { DeployProvider } from '../deploy/provider'
import { createJenkinsProvider } from '../deploy/providers/jenkins'
import { createRundeckProvider } from '../deploy/providers/rundeck'
import type { ProviderBinding } from '../deploy/runner'
import { fillTemplate } from '../workspace/templates'
import { resolveTarget } from '../workspace/resolve-target'

type SecretLookup = (name: string) => Promise<string | undefined>

function fillJob(job: DeployJobConfig, vars: Record<string, string>): DeployJobConfig {
  const fill = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fillTemplate(v, vars)]))
  return job.provider === 'rundeck'
    ? { ...job, jobId: fillTemplate(job.jobId, vars), options: fill(job.options) }
    : { ...job, job: fillTemplate(job.job, vars), parameters: fill(job.parameters) }
}

/**
 * Makes `providerFor` for the deploy runner: the workspace's job for a service × environment with
 * `{service}` and `{environment}` filled in, on one provider instance per endpoint.
 */
export function deployBindings(workspace: Workspace, secret: SecretLookup, fetchImpl?: typeof fetch): (service: string, environment: string) => ProviderBinding | undefined {
  const providers = new Map<string, DeployProvider>()
  const providerOf = (endpointName: string, kind: 'rundeck' | 'jenkins'): DeployProvider => {
    const known = providers.get(endpointName)
    if (known) return known
    const endpoint = workspace.endpoints[endpointName]
    if (!endpoint || endpoint.kind !== kind) {
      throw new AppError('invalid-workspace', `The deploy job names endpoint "${endpointName}", which is not a ${kind} endpoint in the workspace file.`)
    }
    const provider =
      endpoint.kind === 'rundeck'
        ? createRundeckProvider({ endpoint: { url: endpoint.url, apiVersion: endpoint.apiVersion, ...(endpoint.project ? { project: endpoint.project } : {}) }, credential: endpoint.credential, secret, ...(fetchImpl ? { fetch: fetchImpl } : {}) })
        : endpoint.kind === 'jenkins'
          ? createJenkinsProvider({ endpoint: { url: endpoint.url, user: endpoint.user }, credential: endpoint.credential, secret, ...(fetchImpl ? { fetch: fetchImpl } : {}) })
          : undefined
    if (!provider) throw new AppError('invalid-workspace', `Endpoint "${endpointName}" cannot run deploys.`)
    providers.set(endpointName, provider)
    return provider
  }
  return (service, environment) => {
    const target = resolveTarget(workspace, service, environment)
    if (target.skip || !target.deploy) return undefined
    const job = fillJob(target.deploy, { service, environment })
    return { provider: providerOf(job.endpoint, job.provider), request: { service, environment, job } }
  }
}
