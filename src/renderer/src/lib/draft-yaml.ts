import { Document, isCollection } from 'yaml'
import type { DeployJobConfig, Endpoint, ProbeConfig, WorkspaceDraft } from '../../../shared/models/workspace'

type Plain = string | number | boolean | Plain[] | { [key: string]: Plain }

// The renderer cannot import the core's stringifyWorkspace (it talks only to the contract), so this is its
// twin for what the form can build; tests/unit/renderer/draft-yaml.test.ts holds the two byte-equal.
const settings = { fetchIntervalMinutes: 10, probeTimeoutMs: 5000, probeConcurrency: 8 }

function probeYaml(probe: ProbeConfig): Plain {
  switch (probe.kind) {
    case 'http': {
      const value: Record<string, Plain> = probe.format === 'json' ? { http: probe.url, json: probe.pointer } : { http: probe.url, text: probe.pattern }
      return probe.credential === undefined ? value : { ...value, credential: probe.credential }
    }
    case 'rundeck':
      return { rundeck: probe.endpoint, job: probe.jobId, shaOption: probe.shaOption }
    case 'jenkins':
      return { jenkins: probe.endpoint, job: probe.job, shaParameter: probe.shaParameter }
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
      return endpoint.credential === undefined ? { kind: endpoint.kind, url: endpoint.url } : { kind: endpoint.kind, url: endpoint.url, credential: endpoint.credential }
  }
}

/** The YAML the core will write for a draft the form built, for the live preview (line numbers match its problems). */
export function draftYaml(draft: WorkspaceDraft): string {
  const plain: Record<string, Plain> = { version: 1, name: draft.name }
  plain.endpoints = Object.fromEntries(Object.entries(draft.endpoints).map(([name, endpoint]) => [name, endpointYaml(endpoint)]))
  plain.services = draft.services.map((service) => {
    const value: Record<string, Plain> = { name: service.name, repo: service.repo.url, defaultBranch: service.defaultBranch }
    if (service.github) value.github = `${service.github.owner}/${service.github.repo}`
    return value
  })
  plain.environments = Object.fromEntries(
    draft.environments.map((environment) => {
      const value: Record<string, Plain> = { probe: probeYaml(environment.probe) }
      if (environment.deploy) value.deploy = deployYaml(environment.deploy)
      if (environment.requirePreviousSuccess) value.requirePreviousSuccess = true
      return [environment.name, value]
    }),
  )
  plain.regions = Object.fromEntries(
    draft.regions.map((region) => {
      const value: Record<string, Plain> = {}
      if (region.label !== region.name) value.label = region.label
      value.path = region.path
      const last = region.path[region.path.length - 1]
      if (region.production.length !== 1 || region.production[0] !== last) value.production = region.production
      return [region.name, value]
    }),
  )
  plain.settings = { ...settings, ...draft.settings }
  const doc = new Document(plain)
  const flow = (path: (string | number)[]): void => {
    const node = doc.getIn(path, true)
    if (isCollection(node)) node.flow = true
  }
  for (const name of Object.keys(draft.endpoints)) flow(['endpoints', name])
  draft.services.forEach((_, index) => {
    flow(['services', index, 'repo'])
    flow(['services', index, 'github'])
  })
  for (const environment of draft.environments) {
    flow(['environments', environment.name, 'probe'])
    flow(['environments', environment.name, 'deploy'])
  }
  for (const region of draft.regions) flow(['regions', region.name])
  return doc.toString({ lineWidth: 0 })
}
