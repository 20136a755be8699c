import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { WorkspaceProblem } from '../../../shared/api/views'
import { pathOf, type CreateForm } from './create-form'

/** What is wrong with each field of the form, by the field's element id. */
export type FieldErrors = Record<string, string>

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** Whether a URL (templates like `{service}` allowed) is an http(s) URL. */
function httpUrl(text: string): boolean {
  const filled = text.trim().replace(/\{[a-z]+\}/g, 'x')
  return URL.canParse(filled) && /^https?:$/.test(new URL(filled).protocol)
}

/** The problems a person can be told about while typing, before the core reads the file. */
export function checkForm(form: CreateForm): FieldErrors {
  const errors: FieldErrors = {}
  const put = (id: string, message: string | false) => {
    if (message && errors[id] === undefined) errors[id] = message
  }
  put('cw-name', form.name.trim() === '' && 'Give the workspace a name.')
  const file = form.file.trim()
  put('cw-file', file === '' && 'Say where to write the file.')
  put(
    'cw-file',
    file !== '' &&
      !/^(\/|~(\/|$)|[A-Za-z]:[\\/]|\\\\)/.test(file) &&
      'Write a full path (/home/me/team.trainyard.yaml) or one starting with ~.',
  )
  const endpointNames = form.endpoints.map((e) => e.name.trim())
  for (const e of form.endpoints) {
    const id = (field: string) => `ep-${e.id}-${field}`
    const name = e.name.trim()
    put(id('name'), !NAME.test(name) && 'Letters, digits, ".", "_" and "-", starting with a letter or digit.')
    put(id('name'), endpointNames.filter((n) => n === name).length > 1 && `Another endpoint is called ${name}.`)
    put(id('url'), e.url.trim() === '' && 'Write the URL of the server.')
    put(id('url'), e.url.trim() !== '' && !httpUrl(e.url) && 'Write a URL starting with http:// or https://.')
    put(id('user'), e.kind === 'jenkins' && e.user.trim() === '' && 'Jenkins needs the user the API token belongs to.')
    put(
      id('credential'),
      (e.kind === 'rundeck' || e.kind === 'jenkins') && e.credential.trim() === '' && 'Name the keychain entry.',
    )
  }
  const serviceNames = form.services.map((s) => s.name.trim())
  for (const s of form.services) {
    const id = (field: string) => `svc-${s.id}-${field}`
    const name = s.name.trim()
    put(id('name'), name === '' && 'Name the service, e.g. billing.')
    put(id('name'), name !== '' && !NAME.test(name) && 'Letters, digits, ".", "_" and "-" only.')
    put(id('name'), serviceNames.filter((n) => n === name).length > 1 && `Another service is called ${name}.`)
    put(id('repo'), s.repoUrl.trim() === '' && 'Write the URL Trainyard clones the service from.')
    put(id('repo'), s.repoUrl.trim() !== '' && !httpUrl(s.repoUrl) && 'Write the https:// (or http://) clone URL.')
    put(id('branch'), s.defaultBranch.trim() === '' && 'Name the default branch, e.g. main.')
    put(id('github'), s.github.trim() !== '' && !/^[^/\s]+\/[^/\s]+$/.test(s.github.trim()) && 'Write owner/repo.')
  }
  const environmentNames = form.environments.map((e) => e.name.trim())
  for (const env of form.environments) {
    const id = (field: string) => `env-${env.id}-${field}`
    const name = env.name.trim()
    put(id('name'), !NAME.test(name) && 'Name the environment, e.g. staging.')
    put(id('name'), environmentNames.filter((n) => n === name).length > 1 && `Another environment is called ${name}.`)
    if (env.probe.kind === 'http') {
      put(id('probe-url'), !httpUrl(env.probe.url) && 'Write a URL starting with http:// or https://.')
      put(id('pointer'), !env.probe.pointer.trim().startsWith('/') && 'A JSON pointer starts with /, e.g. /sha.')
    } else if (env.probe.kind !== 'none') {
      put(
        id('probe-endpoint'),
        !endpointNames.includes(env.probe.endpoint) && `Add a ${env.probe.kind} endpoint first.`,
      )
      put(id('probe-job'), env.probe.job.trim() === '' && 'Say which job.')
    }
    if (env.deploy.kind !== 'none') {
      put(
        id('deploy-endpoint'),
        !endpointNames.includes(env.deploy.endpoint) && `Add a ${env.deploy.kind} endpoint first.`,
      )
      put(id('deploy-job'), env.deploy.job.trim() === '' && 'Say which job deploys it.')
    }
  }
  for (const region of form.regions) {
    const unknown = pathOf(region).filter((name) => !environmentNames.includes(name))
    put(`rg-${region.id}-name`, region.name.trim() === '' && 'Name the region, e.g. uk.')
    put(`rg-${region.id}-path`, pathOf(region).length === 0 && 'List the environments, first to production.')
    put(`rg-${region.id}-path`, unknown.length > 0 && `No environment is called ${unknown.join(', ')}.`)
  }
  return errors
}

/** The path of keys to the YAML node at a line and column (1-based), e.g. `['services', 0, 'repo']`. */
export function yamlPathAt(text: string, line: number, column: number): (string | number)[] {
  const lines = text.split('\n')
  const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1
  const path: (string | number)[] = []
  const within = (range: readonly number[] | null | undefined) =>
    range !== null && range !== undefined && offset >= (range[0] ?? 0) && offset <= (range[2] ?? range[1] ?? 0)
  let node: unknown = parseDocument(text).contents
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) =>
          within((p.value as { range?: number[] } | null)?.range) ||
          within((p.key as { range?: number[] } | null)?.range),
      )
      if (!pair) break
      path.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key))
      node = pair.value
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within((item as { range?: number[] } | null)?.range))
      if (index < 0) break
      path.push(index)
      node = node.items[index]
    } else break
  }
  return path
}

const endpointFields: Record<string, string> = {
  url: 'url',
  user: 'user',
  credential: 'credential',
  apiVersion: 'api',
  project: 'project',
  kind: 'kind',
}
const serviceFields: Record<string, string> = { name: 'name', repo: 'repo', defaultBranch: 'branch', github: 'github' }
const probeFields: Record<string, string> = {
  http: 'probe-url',
  json: 'pointer',
  rundeck: 'probe-endpoint',
  jenkins: 'probe-endpoint',
  job: 'probe-job',
  shaOption: 'sha',
  shaParameter: 'sha',
}
const deployFields: Record<string, string> = {
  rundeck: 'deploy-endpoint',
  jenkins: 'deploy-endpoint',
  job: 'deploy-job',
  options: 'values',
  parameters: 'values',
}

/** The form field a YAML path of the preview comes from, by element id; undefined when no field writes it. */
export function fieldOf(path: (string | number)[], form: CreateForm): string | undefined {
  const [section, key, field, sub] = path
  switch (section) {
    case 'name':
      return 'cw-name'
    case 'endpoints': {
      const row = form.endpoints.find((e) => e.name.trim() === key)
      return row && `ep-${row.id}-${endpointFields[String(field)] ?? 'name'}`
    }
    case 'services': {
      const row = typeof key === 'number' ? form.services[key] : undefined
      return row && `svc-${row.id}-${serviceFields[String(field)] ?? 'name'}`
    }
    case 'environments': {
      const row = form.environments.find((e) => e.name.trim() === key)
      if (!row) return undefined
      const part =
        field === 'probe'
          ? (probeFields[String(sub)] ?? 'probe')
          : field === 'deploy'
            ? (deployFields[String(sub)] ?? 'deploy')
            : 'name'
      return `env-${row.id}-${part}`
    }
    case 'regions': {
      const row = form.regions.find((r) => r.name.trim() === key)
      return row && `rg-${row.id}-${field === 'path' || field === 'label' ? field : 'name'}`
    }
    default:
      return undefined
  }
}

/** The core's problems with the preview `yaml`, put on the fields that wrote the lines they point at. */
export function problemsOnFields(yaml: string, problems: WorkspaceProblem[], form: CreateForm): FieldErrors {
  const errors: FieldErrors = {}
  for (const p of problems) {
    const id = fieldOf(yamlPathAt(yaml, p.line, p.column), form)
    if (id !== undefined && errors[id] === undefined) errors[id] = p.hint ? `${p.message} (${p.hint})` : p.message
  }
  return errors
}
