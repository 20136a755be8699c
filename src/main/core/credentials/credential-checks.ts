import type { Endpoint, Workspace } from '../../../shared/models/workspace'
import type { EventHub } from '../events'
import { resolveTarget } from '../workspace/resolve-target'
import type { CredentialStates } from './credential-states'

function credentialOf(endpoint: Endpoint | undefined): string | undefined {
  return endpoint && 'credential' in endpoint ? endpoint.credential : undefined
}

/**
 * Marks a credential "check failed" when an endpoint that uses it answers auth-failed to a probe or a deploy,
 * so Settings can say which secret to replace. Setting the credential again clears the mark.
 */
export function watchCredentialChecks(
  workspace: Workspace,
  events: EventHub,
  states: Pick<CredentialStates, 'checkFailed'>,
): () => void {
  const credentialOfProbe = (service: string, environment: string): string | undefined => {
    try {
      const probe = resolveTarget(workspace, service, environment).probe
      if ('credential' in probe && probe.credential) return probe.credential
      return 'endpoint' in probe ? credentialOf(workspace.endpoints[probe.endpoint]) : undefined
    } catch {
      return undefined
    }
  }
  const endpointOfDeploy = (service: string, environment: string): Endpoint | undefined => {
    try {
      const deploy = resolveTarget(workspace, service, environment).deploy
      return deploy ? workspace.endpoints[deploy.endpoint] : undefined
    } catch {
      return undefined
    }
  }
  return events.listen((event, payload) => {
    if (event === 'environments.probed') {
      const result = payload
      const credential =
        result.error?.code === 'auth-failed' ? credentialOfProbe(result.service, result.environment) : undefined
      if (credential) states.checkFailed(credential)
    }
    if (event === 'deploys.changed') {
      const run = payload.run
      const credential =
        run.error?.code === 'auth-failed' ? credentialOf(endpointOfDeploy(run.service, run.environment)) : undefined
      if (credential) states.checkFailed(credential)
    }
  })
}
