import { describe, expect, it } from 'vitest'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'
import { checkForm, problemsOnFields } from '../../../src/renderer/src/lib/create-checks'
import {
  defaultForm,
  newEndpoint,
  secretsOf,
  toDraft,
  type CreateForm,
} from '../../../src/renderer/src/lib/create-form'
// The form's live preview and the file the core writes are one function, shared by both.
import { stringifyWorkspace as draftYaml } from '../../../src/shared/workspace/stringify-workspace'

function filled(): CreateForm {
  const form = defaultForm()
  form.name = 'Team'
  const rundeck = newEndpoint('rundeck')
  form.endpoints.push(rundeck)
  Object.assign(rundeck, { url: 'https://rundeck.example.com', project: 'pay', secret: 's3cret-value' })
  const jenkins = newEndpoint('jenkins')
  Object.assign(jenkins, { url: 'https://ci.example.com', user: 'bot', secret: 'other-value' })
  const github = newEndpoint('github')
  Object.assign(github, { url: 'https://api.github.com', credential: '' })
  form.endpoints.push(jenkins, github)
  Object.assign(form.services[0]!, {
    name: 'billing',
    repoUrl: 'https://git.example.com/billing.git',
    github: 'acme/billing',
  })
  for (const environment of form.environments) Object.assign(environment.deploy, { kind: 'rundeck', job: 'job-1' })
  const production = form.environments[3]!
  production.probe = {
    ...production.probe,
    kind: 'jenkins',
    endpoint: 'jenkins',
    job: 'deploy-{service}',
    shaField: 'GIT_SHA',
  }
  production.deploy = {
    kind: 'jenkins',
    endpoint: 'jenkins',
    job: 'deploy-{service}',
    values: 'GIT_SHA={sha}\nTARGET={environment}',
  }
  form.environments[1]!.probe.kind = 'none'
  form.environments[1]!.deploy.kind = 'none'
  form.regions.push({ id: 99, name: 'us', label: 'United States', path: 'dev, qa, staging, production' })
  return form
}

describe('the create form and its preview', () => {
  it('previews text that reads back as the form’s services, environments and regions', () => {
    const draft = toDraft(filled())
    const parsed = parseWorkspace(draftYaml(draft), '/tmp/team.trainyard.yaml').workspace
    expect(parsed?.services.map((s) => s.name)).toEqual(draft.services.map((s) => s.name))
    expect(parsed?.environments.map((e) => e.name)).toEqual(draft.environments.map((e) => e.name))
    expect(parsed?.regions.map((r) => [r.name, r.path])).toEqual(draft.regions.map((r) => [r.name, r.path]))
  })

  it('builds a draft the parser accepts once filled, with templates in the deploy options', () => {
    const parsed = parseWorkspace(draftYaml(toDraft(filled())), '/tmp/team.trainyard.yaml')
    expect(parsed.problems).toEqual([])
    expect(parsed.workspace?.environments[0]?.deploy).toEqual({
      provider: 'rundeck',
      endpoint: 'rundeck',
      jobId: 'job-1',
      options: { service: '{service}', sha: '{sha}', environment: '{environment}' },
    })
    expect(parsed.workspace?.regions.map((r) => r.production)).toEqual([['production'], ['production']])
  })

  it('is valid as it opens once its names, path, service and repository are filled in', () => {
    const form = defaultForm()
    Object.assign(form, { name: 'Team', file: '/home/me/team.trainyard.yaml' })
    Object.assign(form.services[0]!, { name: 'billing', repoUrl: 'https://git.example.com/billing.git' })
    expect(checkForm(form)).toEqual({})
    expect(parseWorkspace(draftYaml(toDraft(form)), form.file).problems).toEqual([])
  })

  it("checks fields as they are typed, and puts the core's problems on the fields that wrote their lines", () => {
    const form = defaultForm()
    const endpoint = newEndpoint('jenkins')
    Object.assign(endpoint, { url: 'ci.example.com', user: '' })
    form.endpoints.push(endpoint)
    Object.assign(form, { name: 'Team', file: 'team.yaml' })
    const service = form.services[0]!
    Object.assign(service, { name: 'billing', repoUrl: 'git.example.com/billing' })
    const checks = checkForm(form)
    expect(checks['cw-file']).toMatch(/full path/)
    expect(checks[`ep-${endpoint.id}-url`]).toMatch(/http:\/\/ or https:\/\//)
    expect(checks[`ep-${endpoint.id}-user`]).toMatch(/user/)
    expect(checks[`svc-${service.id}-repo`]).toMatch(/clone URL/)
    const dev = form.environments[0]!
    Object.assign(dev.deploy, { kind: 'jenkins', endpoint: 'jenkins', job: '' })
    expect(checkForm(form)[`env-${dev.id}-deploy-job`]).toBe('Say which job deploys it.')
    const yaml = draftYaml(toDraft(form))
    const problems = parseWorkspace(yaml, '/tmp/team.trainyard.yaml').problems
    const onFields = problemsOnFields(yaml, problems, form)
    expect(onFields[`env-${dev.id}-deploy-job`]).toContain('the job of the deploy job of environment `dev`')
    // Every problem the core found lands on a field of the form.
    expect(Object.keys(onFields)).toHaveLength(new Set(problems.map((p) => `${p.line}`)).size)
  })

  it('hands over each typed secret once, by credential name, and never writes it in the YAML', () => {
    const form = filled()
    expect(secretsOf(form)).toEqual([
      { name: 'rundeck-token', secret: 's3cret-value' },
      { name: 'jenkins-token', secret: 'other-value' },
    ])
    expect(draftYaml(toDraft(form))).not.toContain('s3cret-value')
  })
})
