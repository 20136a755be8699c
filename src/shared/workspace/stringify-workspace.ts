import { Document, isCollection } from 'yaml'
import type {
  CoordinationSettings,
  DeployJobConfig,
  Endpoint,
  Environment,
  ProbeConfig,
  Region,
  Service,
  TrainSettings,
  Workspace,
  WorkspaceSettings,
} from '../models/workspace'
import { defaultCoordinationRef, defaultSettings, defaultStaleAfterMinutes, workspaceVersion } from './defaults'

/** A workspace as a "Create a workspace" form fills it: no file yet, settings optional. */
export type WorkspaceDraft = Omit<Workspace, 'file' | 'settings'> & {
  file?: string
  settings?: Partial<WorkspaceSettings>
}

type Plain = string | number | boolean | Plain[] | { [key: string]: Plain }

function withCredential(value: Record<string, Plain>, credential: string | undefined): Record<string, Plain> {
  return credential === undefined ? value : { ...value, credential }
}

function probeYaml(probe: ProbeConfig): Plain {
  switch (probe.kind) {
    case 'http':
      return withCredential(
        probe.format === 'json' ? { http: probe.url, json: probe.pointer } : { http: probe.url, text: probe.pattern },
        probe.credential,
      )
    case 'rundeck': {
      const value: Record<string, Plain> = { rundeck: probe.endpoint, job: probe.jobId, shaOption: probe.shaOption }
      if (probe.environmentOption)
        value.environment = { option: probe.environmentOption.name, value: probe.environmentOption.value }
      return value
    }
    case 'jenkins': {
      const value: Record<string, Plain> = { jenkins: probe.endpoint, job: probe.job, shaParameter: probe.shaParameter }
      if (probe.environmentParameter)
        value.environment = { parameter: probe.environmentParameter.name, value: probe.environmentParameter.value }
      return value
    }
    case 'github':
      return { github: probe.environment }
    case 'git-ref':
      return { 'git-ref': probe.ref }
    case 'none':
      return 'none'
  }
}

function deployYaml(deploy: DeployJobConfig): Plain {
  return deploy.provider === 'rundeck'
    ? { rundeck: deploy.endpoint, job: deploy.jobId, options: deploy.options }
    : { jenkins: deploy.endpoint, job: deploy.job, parameters: deploy.parameters }
}

function endpointYaml(endpoint: Endpoint): Plain {
  switch (endpoint.kind) {
    case 'rundeck':
      return {
        kind: 'rundeck',
        url: endpoint.url,
        apiVersion: endpoint.apiVersion,
        credential: endpoint.credential,
        ...(endpoint.project === undefined ? {} : { project: endpoint.project }),
      }
    case 'jenkins':
      return { kind: 'jenkins', url: endpoint.url, user: endpoint.user, credential: endpoint.credential }
    case 'github':
    case 'http':
      return withCredential({ kind: endpoint.kind, url: endpoint.url }, endpoint.credential)
  }
}

function serviceYaml(service: Service): Plain {
  const value: Record<string, Plain> = {
    name: service.name,
    repo:
      service.repo.credential === undefined
        ? service.repo.url
        : { url: service.repo.url, credential: service.repo.credential },
  }
  value.defaultBranch = service.defaultBranch
  if (service.github) {
    const repo = `${service.github.owner}/${service.github.repo}`
    value.github = service.github.endpoint === undefined ? repo : { repo, endpoint: service.github.endpoint }
  }
  const overrides: Record<string, Plain> = {}
  for (const [environment, override] of Object.entries(service.environments)) {
    if (override.skip && !override.probe && !override.deploy) {
      overrides[environment] = 'skip'
      continue
    }
    const entry: Record<string, Plain> = {}
    if (override.probe) entry.probe = probeYaml(override.probe)
    if (override.deploy) entry.deploy = deployYaml(override.deploy)
    if (override.skip !== undefined) entry.skip = override.skip
    overrides[environment] = entry
  }
  if (Object.keys(overrides).length > 0) value.environments = overrides
  if (service.dependsOn && service.dependsOn.length > 0) value.dependsOn = [...service.dependsOn]
  return value
}

function environmentYaml(environment: Environment): Plain {
  const value: Record<string, Plain> = { probe: probeYaml(environment.probe) }
  if (environment.deploy) value.deploy = deployYaml(environment.deploy)
  if (environment.requirePreviousSuccess) value.requirePreviousSuccess = true
  if (environment.requireSignoff && environment.requireSignoff.length > 0)
    value.requireSignoff = [...environment.requireSignoff]
  return value
}

function regionYaml(region: Region): Plain {
  const value: Record<string, Plain> = {}
  if (region.label !== region.name) value.label = region.label
  value.path = region.path
  const last = region.path[region.path.length - 1]
  if (region.production.length !== 1 || region.production[0] !== last) value.production = region.production
  return value
}

function trainsYaml(trains: TrainSettings): Plain {
  return {
    timezone: trains.timezone,
    cut: `${trains.cut.day} ${trains.cut.time}`,
    deploy: `${trains.deploy.day} ${trains.deploy.time}`,
    names: trains.names,
    anchor: { date: trains.anchor.date, name: trains.anchor.name },
    seasoningDays: trains.seasoningDays,
    regions: Object.fromEntries(trains.regions.map((r) => [r.region, r.lag])),
    hotfixBranch: trains.hotfixBranch,
    serviceOrder: trains.serviceOrder,
  }
}

function coordinationYaml(coordination: CoordinationSettings): Plain {
  const value: Record<string, Plain> = { repo: coordination.repo }
  if (coordination.credential !== undefined) value.credential = coordination.credential
  if (coordination.ref !== defaultCoordinationRef) value.ref = coordination.ref
  if (coordination.staleAfterMinutes !== defaultStaleAfterMinutes)
    value.staleAfterMinutes = coordination.staleAfterMinutes
  return value
}

/** Writes a workspace as YAML in the file's own shorthand; parsing the text gives the same workspace back. */
export function stringifyWorkspace(draft: WorkspaceDraft): string {
  const plain: Record<string, Plain> = { version: workspaceVersion, name: draft.name }
  plain.endpoints = Object.fromEntries(
    Object.entries(draft.endpoints).map(([name, endpoint]) => [name, endpointYaml(endpoint)]),
  )
  plain.services = draft.services.map(serviceYaml)
  plain.environments = Object.fromEntries(
    draft.environments.map((environment) => [environment.name, environmentYaml(environment)]),
  )
  plain.regions = Object.fromEntries(draft.regions.map((region) => [region.name, regionYaml(region)]))
  if (draft.trains) plain.trains = trainsYaml(draft.trains)
  if (draft.coordination) plain.coordination = coordinationYaml(draft.coordination)
  if (draft.webhooks && draft.webhooks.length > 0) {
    plain.webhooks = Object.fromEntries(
      draft.webhooks.map((w) => [w.name, { format: w.format, credential: w.credential, events: w.events }]),
    )
  }
  plain.settings = { ...defaultSettings, ...draft.settings }
  const doc = new Document(plain)
  // Small leaf mappings read best on one line, as a person would write them.
  const flow = (path: (string | number)[]): void => {
    const node = doc.getIn(path, true)
    if (isCollection(node)) node.flow = true
  }
  for (const name of Object.keys(draft.endpoints)) flow(['endpoints', name])
  draft.services.forEach((service, index) => {
    flow(['services', index, 'repo'])
    flow(['services', index, 'github'])
    for (const environment of Object.keys(service.environments)) {
      flow(['services', index, 'environments', environment, 'probe'])
      flow(['services', index, 'environments', environment, 'deploy'])
    }
  })
  for (const environment of draft.environments) {
    flow(['environments', environment.name, 'probe'])
    flow(['environments', environment.name, 'deploy'])
  }
  for (const region of draft.regions) flow(['regions', region.name])
  for (const key of ['names', 'anchor', 'regions', 'serviceOrder']) flow(['trains', key])
  flow(['coordination'])
  for (const webhook of draft.webhooks ?? []) flow(['webhooks', webhook.name])
  return doc.toString({ lineWidth: 0 })
}
