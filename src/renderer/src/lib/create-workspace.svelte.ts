import type { WorkspaceProblem } from '../../../shared/api/views'
import type { AppErrorData } from '../../../shared/errors'
import type { EndpointCheckResult } from '../../../shared/models/workspace'
import { api } from './api'
import type { CreateForm, FormEndpoint, FormEnvironment } from './create-form'
import { defaultForm, newEndpoint, newEnvironment, newService, nextId, pathOf, secretsOf, toDraft } from './create-form'
import { stringifyWorkspace as draftYaml } from '../../../shared/workspace/stringify-workspace'
import { checkForm, problemsOnFields, type FieldErrors } from './create-checks'
import { errorOf } from './format'
import { workspace } from './workspace.svelte'

/** The steps of the form, in order. */
export const CREATE_STEPS = ['Name and file', 'Endpoints', 'Services', 'Environments', 'Review'] as const

/** What testing one endpoint row shows: running, or the result. */
export type EndpointTest = { state: 'testing' } | ({ state: 'done' } & EndpointCheckResult)

/** The "Create a workspace" form: its fields, the live YAML, endpoint tests and the create call. */
export class CreateWorkspaceState {
  form = $state<CreateForm>(defaultForm())
  step = $state(0)
  tests = $state<Record<number, EndpointTest>>({})
  problems = $state.raw<WorkspaceProblem[]>([])
  /** The preview the problems were found in; once the form changes, their lines may point elsewhere. */
  problemsYaml = $state<string | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  busy = $state(false)
  /** Fields a person has typed in or left: only those are checked, so an untouched form is not all red. */
  touched = $state<Record<string, true>>({})
  /** Set by Create: every field is checked from then on. */
  attempted = $state(false)

  readonly draft = $derived(toDraft(this.form))
  readonly yaml = $derived(draftYaml(this.draft))
  readonly problemsStale = $derived(this.problemsYaml !== null && this.problemsYaml !== this.yaml)
  readonly endpointNames = $derived(this.form.endpoints.map((e) => e.name.trim()).filter((n) => n !== ''))
  readonly canCreate = $derived(this.form.name.trim() !== '' && this.form.file.trim() !== '' && !this.busy)
  readonly checks = $derived(checkForm(this.form))
  /** What each field shows: its own check as you type, else what the core found on the line it wrote. */
  readonly errors = $derived.by((): FieldErrors => {
    const shown: FieldErrors = this.problemsStale
      ? {}
      : problemsOnFields(this.problemsYaml ?? '', this.problems, this.form)
    for (const [id, message] of Object.entries(this.checks)) if (this.attempted || this.touched[id]) shown[id] = message
    return shown
  })

  /** Marks a field as touched (from the form's input and focus-out events, by the field's id). */
  touch(id: string): void {
    if (id !== '' && !this.touched[id]) this.touched[id] = true
  }

  addEndpoint(kind: FormEndpoint['kind']): void {
    let name: string = kind
    for (let n = 2; this.endpointNames.includes(name); n++) name = `${kind}-${n}`
    this.form.endpoints.push(newEndpoint(kind, name))
  }

  removeEndpoint(id: number): void {
    this.form.endpoints = this.form.endpoints.filter((e) => e.id !== id)
  }

  addService(): void {
    this.form.services.push(newService())
  }

  removeService(id: number): void {
    this.form.services = this.form.services.filter((s) => s.id !== id)
  }

  /** Adds a region that shares the first region's path up to production, with a production of its own. */
  addRegion(name: string): void {
    const region = name.trim().toLowerCase().replace(/\s+/g, '-')
    if (region === '' || this.form.regions.some((r) => r.name === region)) return
    const first = this.form.regions[0]
    const shared = first ? pathOf(first).slice(0, -1) : []
    const productionName = `production-${region}`
    const template = this.form.environments.find((e) => e.name === (first ? pathOf(first).at(-1) : undefined))
    const production: FormEnvironment = template
      ? { ...$state.snapshot(template), id: nextId(), name: productionName }
      : newEnvironment(productionName, true)
    if (!this.form.environments.some((e) => e.name === productionName)) this.form.environments.push(production)
    this.form.regions.push({
      id: nextId(),
      name: region,
      label: name.trim(),
      path: [...shared, productionName].join(', '),
    })
  }

  removeRegion(id: number): void {
    this.form.regions = this.form.regions.filter((r) => r.id !== id)
  }

  /** Tries one endpoint row with the secret typed there (or the keychain's); the secret is not stored. */
  async test(row: FormEndpoint): Promise<void> {
    const endpoint = toDraft({ ...this.form, endpoints: [row] }).endpoints[row.name.trim()]
    if (endpoint === undefined) return
    this.tests[row.id] = { state: 'testing' }
    try {
      const result = await api.invoke('endpoints.test', row.secret ? { endpoint, secret: row.secret } : { endpoint })
      this.tests[row.id] = { state: 'done', ...result }
    } catch (error) {
      this.tests[row.id] = { state: 'done', ok: false, ...errorOf(error) }
    }
  }

  /** Writes the file and stores the secrets; on success the core opens the workspace. */
  async create(): Promise<void> {
    this.attempted = true
    this.error = null
    this.problems = []
    this.busy = true
    const yaml = this.yaml
    try {
      const view = await api.invoke('workspace.create', {
        file: this.form.file.trim(),
        draft: toDraft(this.form),
        secrets: secretsOf(this.form),
        overwrite: this.form.overwrite,
      })
      if (view.problems.length > 0) {
        this.problems = view.problems
        this.problemsYaml = yaml
      } else workspace.view = view
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.busy = false
    }
  }
}
