import type { DeployRun } from '../../../shared/models/deploys'
import type { DeployJobConfig, Endpoint, ProbeConfig, Sha, Workspace } from '../../../shared/models/workspace'
import type { SecretLookup } from '../credentials/require-secret'
import type { DeployProvider } from '../deploy/provider'
import type { EventHub } from '../events'
import type { FetchLike } from '../http/client'
import type { Logger } from '../logger'
import type { Field, Fields, ReadContext } from '../workspace/yaml-reader'
import type { EndpointCheckOf } from './check-context'
import type { Probe } from './probe-context'

/** A kind of server in `endpoints:` (`kind: rundeck`). */
export type EndpointKind = Endpoint['kind']
/** A kind of probe (`probe: { rundeck: … }`). */
export type ProbeKind = ProbeConfig['kind']
/** A kind of deploy job (`deploy: { rundeck: … }`); it always names an endpoint of the same kind. */
export type ProviderKind = DeployJobConfig['provider'] & EndpointKind
/** Every kind the workspace model names: each has exactly one integration. */
export type IntegrationKind = EndpointKind | ProbeKind | ProviderKind

/** The endpoint of one kind. */
export type EndpointOf<K extends EndpointKind> = Extract<Endpoint, { kind: K }>
/** The probe config of one kind. */
export type ProbeOf<K extends ProbeKind> = Extract<ProbeConfig, { kind: K }>
/** The deploy job config of one provider. */
export type JobOf<K extends ProviderKind> = Extract<DeployJobConfig, { provider: K }>

/** What every endpoint of the workspace file has, read before the kind's own fields. */
export interface EndpointBasics {
  /** The URL, or the kind's default. */
  url: string
  credential: string | undefined
}

/** A server of this kind under `endpoints:`: its fields, and how to test one from the create form. */
export interface EndpointFacet<K extends EndpointKind> {
  /** The fields it takes besides `kind`. */
  keys: readonly string[]
  /** The fields it cannot do without. */
  required: readonly string[]
  /** The URL when the file gives none (GitHub's API). */
  defaultUrl?: string
  /** The kind's own fields, after the basics; undefined when something is missing (already reported). */
  read(ctx: ReadContext, fields: Fields, what: string, basics: EndpointBasics): EndpointOf<K> | undefined
  check: EndpointCheckOf<K>
}

/** A way to read what an environment runs. */
export interface ProbeFacet<K extends ProbeKind> {
  /** The keys it takes; the first names the kind (`rundeck: <endpoint>`). */
  keys: readonly string[]
  /** How to write one, for hints: "`{ rundeck: <endpoint>, job: <id> }`". */
  examples: readonly string[]
  /** Reads the probe's fields (the kind is known); undefined when something is wrong (already reported). */
  read(ctx: ReadContext, fields: Fields, use: string, field: Field): ProbeOf<K> | undefined
  /** The config with its templates filled (`{service}`, `{environment}`); what is not a template stays as written. */
  fill(config: ProbeOf<K>, fill: (template: string) => string): ProbeOf<K>
  run: Probe<K>
}

/** What a deploy provider is built from, besides its endpoint. */
export interface ProviderPorts {
  secret: SecretLookup
  fetch?: FetchLike
}

/**
 * A system that deploys: its deploy job and the provider that runs it. Every deploy job is written the
 * same way, `{ <kind>: <endpoint>, job: <name or id>, <values>: { name: template } }`, and must pass `{sha}`.
 */
export interface DeployFacet<K extends ProviderKind> {
  /** The key of its templated values: `options` (Rundeck), `parameters` (Jenkins). */
  values: string
  /** How to write one, for hints. */
  examples: readonly string[]
  /** How its `job` is read (default: a template of `{service}` and `{environment}`); reports what is wrong. */
  readJob?: (ctx: ReadContext, field: Field | undefined, what: string) => string | undefined
  /** The job from what every deploy job has (already checked): its endpoint's name, the job, the values. */
  job(endpoint: string, job: string, values: Record<string, string>): JobOf<K>
  /** The job with its templates filled: `{service}` and `{environment}` first, `{sha}` when it is triggered. */
  fill(job: JobOf<K>, fill: (template: string) => string): JobOf<K>
  /** One provider per endpoint; it is reused for every job on that endpoint. */
  create(endpoint: EndpointOf<K>, ports: ProviderPorts): DeployProvider
}

/** Follows the deploy runs of a workspace and records them somewhere the team shares (GitHub Deployments). */
export interface DeployRecorder {
  /** The run with the state of its record, when there is one. */
  withLedger(run: DeployRun): DeployRun
  /** The SHA the shared record last saw succeed in a service × environment, and when; undefined when it has none or cannot be asked. */
  lastSuccess(service: string, environment: string): Promise<{ sha: Sha; at: string } | undefined>
  /** Stops following runs; writes already queued still finish. */
  close(): void
}

/** What a recorder is built from. */
export interface RecorderPorts {
  secret: SecretLookup
  events: EventHub
  logger: Logger
  fetch?: FetchLike
}

/** A system that records deploys made by others: built for a workspace, or not at all when nothing there uses it. */
export interface RecorderFacet {
  create(workspace: Workspace, ports: RecorderPorts): DeployRecorder | undefined
}

/**
 * One external system: its name in messages and, for each role the workspace model gives its kind, the
 * facet that plays it. A kind that is an endpoint kind must have `endpoint`, a probe kind `probe`, a
 * provider kind `deploy`; the compiler checks each.
 */
export type Integration<K extends IntegrationKind> = {
  kind: K
  /** "Rundeck", "HTTP version pages". */
  label: string
  recorder?: RecorderFacet
} & (K extends EndpointKind ? { endpoint: EndpointFacet<K> } : { endpoint?: never }) &
  (K extends ProbeKind ? { probe: ProbeFacet<K> } : { probe?: never }) &
  (K extends ProviderKind ? { deploy: DeployFacet<K> } : { deploy?: never })

/** Every integration, by kind: a kind without one, or one missing a facet its kind needs, does not compile. */
export type Registry = { readonly [K in IntegrationKind]: Integration<K> }
