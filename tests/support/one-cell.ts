import type { ProviderBinding } from '../../src/main/core/deploy/runner'
import { deployBindings } from '../../src/main/core/runtime/deploy-bindings'
import type { DeployJobConfig, Endpoint, ProbeConfig, Workspace } from '../../src/shared/models/workspace'

/*
 * The smallest workspace for tests of one integration: service `web`, environment `prod`, one endpoint
 * `ep`; the deploy job (when the endpoint deploys) passes `{sha}` and names the environment.
 */

/** A workspace with one cell probed by `probe` and, for a Rundeck or Jenkins `endpoint`, deployed through it. */
export function oneCell(probe: ProbeConfig, endpoint?: Endpoint, probeTimeoutMs = 10_000): Workspace {
  const deploy: DeployJobConfig | undefined =
    endpoint?.kind === 'rundeck'
      ? { provider: 'rundeck', endpoint: 'ep', jobId: 'job-1', options: { sha: '{sha}', environment: 'prod' } }
      : endpoint?.kind === 'jenkins'
        ? { provider: 'jenkins', endpoint: 'ep', job: 'deploy', parameters: { sha: '{sha}', environment: 'prod' } }
        : undefined
  return {
    file: '/tmp/one-cell.trainyard.yaml',
    name: 'one cell',
    services: [{ name: 'web', repo: { url: 'https://git.example/web.git' }, defaultBranch: 'main', environments: {} }],
    environments: [{ name: 'prod', probe, requirePreviousSuccess: false, ...(deploy ? { deploy } : {}) }],
    regions: [{ name: 'main', label: 'Main', path: ['prod'], production: ['prod'] }],
    endpoints: endpoint ? { ep: endpoint } : {},
    settings: { fetchIntervalMinutes: 0, probeTimeoutMs, probeConcurrency: 1 },
  }
}

/** The provider binding of the one cell, through the real registry, with `token` as every secret. */
export function bindOneCell(endpoint: Endpoint, token: string): ProviderBinding {
  const binding = deployBindings(oneCell({ kind: 'none' }, endpoint), () => Promise.resolve(token))('web', 'prod')
  if (!binding) throw new Error(`a ${endpoint.kind} endpoint has no deploy binding`)
  return binding
}
