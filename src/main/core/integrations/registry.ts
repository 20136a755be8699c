import { AppError } from '../../../shared/errors'
import type { DeployRun } from '../../../shared/models/deploys'
import type { DeployJobConfig, ProbeConfig, Workspace } from '../../../shared/models/workspace'
import type { DeployProvider } from '../deploy/provider'
import { gitRef } from './git-ref/integration'
import { github } from './github/integration'
import type {
  DeployFacet,
  DeployRecorder,
  EndpointFacet,
  EndpointKind,
  EndpointOf,
  IntegrationKind,
  ProbeFacet,
  ProbeKind,
  ProviderKind,
  ProviderPorts,
  RecorderPorts,
  Registry,
} from './integration'
import { jenkins } from './jenkins/integration'
import { none } from './none/integration'
import type { ProbeContext, ProbeOutput } from './probe-context'
import { rundeck } from './rundeck/integration'
import { versionPage } from './version-page/integration'

/**
 * Every external system Trainyard talks to, by the kind the workspace file names. Adding one is one line
 * here (README, "Adding a deploy provider"); the mapped type makes a kind without its integration, or an
 * integration without a facet its kind needs, a compile error.
 */
export const integrations: Registry = {
  rundeck,
  jenkins,
  github,
  http: versionPage,
  'git-ref': gitRef,
  none,
}

/** The kinds in registry order, for lists and hints. */
const kinds = Object.keys(integrations) as IntegrationKind[]

/** Endpoint kinds, in registry order. */
export const endpointKinds = kinds.filter((kind): kind is EndpointKind => integrations[kind].endpoint !== undefined)
/** Probe kinds, in registry order. */
export const probeKinds = kinds.filter((kind): kind is ProbeKind => integrations[kind].probe !== undefined)
/** Deploy provider kinds, in registry order. */
export const providerKinds = kinds.filter((kind): kind is ProviderKind => integrations[kind].deploy !== undefined)

// The registry is keyed by kind, so the facet found for a config's kind is that kind's: the casts below
// only forget the correlation TypeScript cannot follow through an indexed access.

/** The endpoint facet of a kind. */
export function endpointFacet(kind: EndpointKind): EndpointFacet<EndpointKind> {
  return integrations[kind].endpoint as unknown as EndpointFacet<EndpointKind>
}

/** The probe facet of a kind. */
export function probeFacet(kind: ProbeKind): ProbeFacet<ProbeKind> {
  return integrations[kind].probe as unknown as ProbeFacet<ProbeKind>
}

/** The deploy facet of a provider kind. */
export function deployFacet(kind: ProviderKind): DeployFacet<ProviderKind> {
  return integrations[kind].deploy as unknown as DeployFacet<ProviderKind>
}

/** Reads what one service runs in one environment with the probe its config names. */
export function runProbe(config: ProbeConfig, ctx: ProbeContext): Promise<ProbeOutput> {
  return probeFacet(config.kind).run(config, ctx)
}

/** A probe config with `{service}` and `{environment}` filled (what is not a template stays as written). */
export function fillProbe(config: ProbeConfig, fill: (template: string) => string): ProbeConfig {
  return probeFacet(config.kind).fill(config, fill)
}

/** A deploy job with its templates filled. */
export function fillJob(job: DeployJobConfig, fill: (template: string) => string): DeployJobConfig {
  return deployFacet(job.provider).fill(job, fill)
}

/** The provider that runs jobs of `job.provider` on an endpoint; the endpoint must be of that kind. */
export function createProvider(
  kind: ProviderKind,
  endpoint: EndpointOf<EndpointKind>,
  ports: ProviderPorts,
): DeployProvider {
  if (endpoint.kind !== kind) {
    throw new AppError(
      'invalid-workspace',
      `A ${kind} deploy job needs a ${kind} endpoint, not a ${endpoint.kind} one.`,
    )
  }
  return deployFacet(kind).create(endpoint, ports)
}

/** Every recorder the workspace uses (GitHub Deployments for services with a repository), as one. */
export function createRecorders(workspace: Workspace, ports: RecorderPorts): DeployRecorder {
  const recorders = kinds.flatMap((kind) => integrations[kind].recorder?.create(workspace, ports) ?? [])
  return {
    withLedger: (run: DeployRun) => recorders.reduce((recorded, recorder) => recorder.withLedger(recorded), run),
    lastSuccess: async (service: string, environment: string) => {
      for (const recorder of recorders) {
        const seen = await recorder.lastSuccess(service, environment)
        if (seen !== undefined) return seen
      }
      return undefined
    },
    close: () => recorders.forEach((recorder) => recorder.close()),
  }
}
