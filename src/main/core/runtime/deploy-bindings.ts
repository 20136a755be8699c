import { AppError } from '../../../shared/errors'
import type { Workspace } from '../../../shared/models/workspace'
import type { DeployProvider } from '../deploy/provider'
import type { ProviderKind } from '../integrations/integration'
import { createProvider } from '../integrations/registry'
import type { ProviderBinding } from '../deploy/runner'
import { resolveTarget } from '../workspace/resolve-target'

type SecretLookup = (name: string) => Promise<string | undefined>

/**
 * Makes `providerFor` for the deploy runner: the workspace's job for a service × environment, on one
 * provider instance per endpoint.
 */
export function deployBindings(
  workspace: Workspace,
  secret: SecretLookup,
  fetchImpl?: typeof fetch,
): (service: string, environment: string) => ProviderBinding | undefined {
  const providers = new Map<string, DeployProvider>()
  const providerOf = (endpointName: string, kind: ProviderKind): DeployProvider => {
    const known = providers.get(endpointName)
    if (known) return known
    const endpoint = workspace.endpoints[endpointName]
    if (!endpoint || endpoint.kind !== kind) {
      throw new AppError(
        'invalid-workspace',
        `The deploy job names endpoint "${endpointName}", which is not a ${kind} endpoint in the workspace file.`,
      )
    }
    const provider = createProvider(kind, endpoint, { secret, ...(fetchImpl ? { fetch: fetchImpl } : {}) })
    providers.set(endpointName, provider)
    return provider
  }
  return (service, environment) => {
    const target = resolveTarget(workspace, service, environment)
    if (target.skip || !target.deploy) return undefined
    // resolveTarget fills {service} and {environment}; the runner fills {sha} when it triggers.
    const job = target.deploy
    return { provider: providerOf(job.endpoint, job.provider), request: { service, environment, job } }
  }
}
