import { AppError } from '../../../shared/errors'
import type { Endpoint, ProbeConfig } from '../../../shared/models/workspace'
import { fillTemplate } from '../workspace/templates'

/** What every probe gets: who it probes, how to reach servers, and when to stop. */
export interface ProbeContext {
  service: string
  environment: string
  /** Secret lookup by credential name; secrets never leave the probe. */
  secret: (name: string) => Promise<string | undefined>
  endpoints: Record<string, Endpoint>
  /** Aborts on the per-probe timeout (or when the caller gives up). */
  signal: AbortSignal
  fetch: typeof fetch
  /** The service's GitHub repository, for GitHub Deployments probes. */
  github?: { owner: string; repo: string; endpoint?: string }
  /** Refs of the service's clone, names to commit SHAs (tags peeled), for git-ref probes. */
  refs?: () => Promise<Map<string, string>>
}

/** The value a probe read, before it is resolved to a commit in the clone. */
export interface ProbeOutput {
  raw: string
}

/** A probe of one kind. Throws AppError on every failure a user can act on. */
export type Probe<K extends ProbeConfig['kind']> = (
  config: Extract<ProbeConfig, { kind: K }>,
  ctx: ProbeContext,
) => Promise<ProbeOutput>

/** Fills `{service}` and `{environment}` in a workspace template; any other variable is an invalid-workspace error. */
export function fill(template: string, ctx: Pick<ProbeContext, 'service' | 'environment'>): string {
  return fillTemplate(template, { service: ctx.service, environment: ctx.environment })
}

/** The endpoint a probe names, checked to be of the expected kind. */
export function endpointOf<K extends Endpoint['kind']>(
  ctx: ProbeContext,
  name: string,
  kind: K,
): Extract<Endpoint, { kind: K }> {
  const endpoint = ctx.endpoints[name]
  if (!endpoint || endpoint.kind !== kind) {
    throw new AppError(
      'invalid-workspace',
      `The probe of ${ctx.service} in ${ctx.environment} names ${kind} endpoint "${name}", which the workspace does not define.`,
    )
  }
  return endpoint as Extract<Endpoint, { kind: K }>
}
