import type { DeployJobConfig, Endpoint, ProbeConfig, WorkspaceDraft } from '../../../shared/models/workspace'

/** An endpoint row of the form; the secret is typed here and goes only to the keychain (and to a test). */
export interface FormEndpoint {
  id: number
  name: string
  kind: Endpoint['kind']
  url: string
  user: string
  apiVersion: number
  project: string
  credential: string
  secret: string
}

/** A service row of the form; `github` is `owner/repo` or empty. */
export interface FormService {
  id: number
  name: string
  repoUrl: string
  defaultBranch: string
  github: string
}

/** How an environment's SHA is read, as the form edits it. */
export interface FormProbe {
  kind: 'http' | 'rundeck' | 'jenkins' | 'none'
  url: string
  pointer: string
  endpoint: string
  job: string
  /** The Rundeck option or Jenkins parameter holding the SHA. */
  shaField: string
}

/** Which job deploys an environment, as the form edits it; `values` is one `name=value` a line. */
export interface FormDeploy {
  kind: 'rundeck' | 'jenkins' | 'none'
  endpoint: string
  job: string
  values: string
}

/** An environment row of the form. */
export interface FormEnvironment {
  id: number
  name: string
  probe: FormProbe
  deploy: FormDeploy
  requirePreviousSuccess: boolean
}

/** A region row: its promotion path as environment names separated by commas; the last is its production. */
export interface FormRegion {
  id: number
  name: string
  label: string
  path: string
}

/** Everything the "Create a workspace" form holds. */
export interface CreateForm {
  name: string
  file: string
  overwrite: boolean
  endpoints: FormEndpoint[]
  services: FormService[]
  environments: FormEnvironment[]
  regions: FormRegion[]
}

let lastId = 0
/** A fresh row id, for keyed lists and label ids. */
export function nextId(): number {
  return ++lastId
}

/** Every endpoint kind the form offers, with its name on screen; a kind missing here does not compile. */
export const endpointKindLabels: { [K in Endpoint['kind']]: string } = {
  rundeck: 'Rundeck',
  jenkins: 'Jenkins',
  github: 'GitHub',
  http: 'HTTP',
}

/** A new endpoint row of a kind, with the usual credential name. */
export function newEndpoint(kind: Endpoint['kind'] = 'rundeck', name: string = kind): FormEndpoint {
  const credential = kind === 'http' ? '' : `${name}-token`
  return { id: nextId(), name, kind, url: '', user: '', apiVersion: 45, project: '', credential, secret: '' }
}

/** A new service row. */
export function newService(): FormService {
  return { id: nextId(), name: '', repoUrl: '', defaultBranch: 'main', github: '' }
}

/**
 * A new environment with an HTTP version probe and no deploy job yet (read-only until one is chosen; the Rundeck
 * options are ready as templates for when it is), so a new form is valid once its names and URLs are filled in.
 */
export function newEnvironment(name: string, requirePreviousSuccess = false): FormEnvironment {
  return {
    id: nextId(),
    name,
    probe: {
      kind: 'http',
      url: 'https://{service}.{environment}.example.com/version',
      pointer: '/sha',
      endpoint: 'rundeck',
      job: '',
      shaField: 'sha',
    },
    deploy: {
      kind: 'none',
      endpoint: 'rundeck',
      job: '',
      values: 'service={service}\nsha={sha}\nenvironment={environment}',
    },
    requirePreviousSuccess,
  }
}

/** The form as it opens: no endpoint yet, one service, dev → qa → staging → production in one region. */
export function defaultForm(): CreateForm {
  return {
    name: '',
    file: '',
    overwrite: false,
    endpoints: [],
    services: [newService()],
    environments: [
      newEnvironment('dev'),
      newEnvironment('qa'),
      newEnvironment('staging', true),
      newEnvironment('production', true),
    ],
    regions: [{ id: nextId(), name: 'main', label: 'Main', path: 'dev, qa, staging, production' }],
  }
}

/** The environment names of a region's path, in order. */
export function pathOf(region: FormRegion): string[] {
  return region.path
    .split(/[,\s→]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

function values(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf('=')
      return at < 0 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()]
    })
  return Object.fromEntries(entries) as Record<string, string>
}

function endpointOf(row: FormEndpoint): Endpoint {
  const url = row.url.trim()
  const credential = row.credential.trim()
  switch (row.kind) {
    case 'rundeck':
      return {
        kind: 'rundeck',
        url,
        apiVersion: row.apiVersion,
        credential,
        ...(row.project.trim() ? { project: row.project.trim() } : {}),
      }
    case 'jenkins':
      return { kind: 'jenkins', url, user: row.user.trim(), credential }
    case 'github':
    case 'http':
      return credential ? { kind: row.kind, url, credential } : { kind: row.kind, url }
  }
}

function probeOf(probe: FormProbe): ProbeConfig {
  switch (probe.kind) {
    case 'http':
      return { kind: 'http', url: probe.url.trim(), format: 'json', pointer: probe.pointer.trim() }
    case 'rundeck':
      return { kind: 'rundeck', endpoint: probe.endpoint, jobId: probe.job.trim(), shaOption: probe.shaField.trim() }
    case 'jenkins':
      return { kind: 'jenkins', endpoint: probe.endpoint, job: probe.job.trim(), shaParameter: probe.shaField.trim() }
    case 'none':
      return { kind: 'none' }
  }
}

function deployOf(deploy: FormDeploy): DeployJobConfig | undefined {
  switch (deploy.kind) {
    case 'rundeck':
      return {
        provider: 'rundeck',
        endpoint: deploy.endpoint,
        jobId: deploy.job.trim(),
        options: values(deploy.values),
      }
    case 'jenkins':
      return {
        provider: 'jenkins',
        endpoint: deploy.endpoint,
        job: deploy.job.trim(),
        parameters: values(deploy.values),
      }
    case 'none':
      return undefined
  }
}

/** The workspace the form describes, as `workspace.create` takes it. */
export function toDraft(form: CreateForm): WorkspaceDraft {
  return {
    name: form.name.trim(),
    endpoints: Object.fromEntries(form.endpoints.map((row) => [row.name.trim(), endpointOf(row)])),
    services: form.services.map((row) => {
      const [owner = '', repo = ''] = row.github.trim().split('/')
      return {
        name: row.name.trim(),
        repo: { url: row.repoUrl.trim() },
        defaultBranch: row.defaultBranch.trim(),
        ...(row.github.trim() ? { github: { owner, repo } } : {}),
        environments: {},
      }
    }),
    environments: form.environments.map((row) => {
      const deploy = deployOf(row.deploy)
      return {
        name: row.name.trim(),
        probe: probeOf(row.probe),
        ...(deploy ? { deploy } : {}),
        requirePreviousSuccess: row.requirePreviousSuccess,
      }
    }),
    regions: form.regions.map((row) => {
      const path = pathOf(row)
      const last = path[path.length - 1]
      return {
        name: row.name.trim(),
        label: row.label.trim() || row.name.trim(),
        path,
        production: last === undefined ? [] : [last],
      }
    }),
  }
}

/** The secrets typed in the form, one per credential name (the first typed wins). */
export function secretsOf(form: CreateForm): { name: string; secret: string }[] {
  const byName = new Map<string, string>()
  for (const row of form.endpoints) {
    const name = row.credential.trim()
    if (name && row.secret && !byName.has(name)) byName.set(name, row.secret)
  }
  return [...byName].map(([name, secret]) => ({ name, secret }))
}
