import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Workspace } from '../../../src/shared/models/workspace'
import { credentialNames } from '../../../src/main/core/workspace/credential-names'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'
import { resolveTarget } from '../../../src/main/core/workspace/resolve-target'
import { previousEnvironments } from '../../../src/shared/models/region-paths'
import { fillTemplate, templateVariables } from '../../../src/main/core/workspace/templates'

const examplePath = fileURLToPath(new URL('../../../examples/acme.trainyard.yaml', import.meta.url))

function example(): Workspace {
  const parsed = parseWorkspace(readFileSync(examplePath, 'utf8'), examplePath)
  expect(parsed.problems).toEqual([])
  if (!parsed.workspace) throw new Error('example did not parse')
  return parsed.workspace
}

describe('the example workspace', () => {
  it('reads services, endpoints, environments in path order, regions and trains', () => {
    const workspace = example()
    expect(workspace.file).toBe(examplePath)
    expect(workspace.services.map((s) => s.name)).toEqual(['billing', 'ledger', 'notifier'])
    expect(workspace.environments.map((e) => e.name)).toEqual([
      'dev',
      'qa',
      'staging',
      'production-uk',
      'production-us',
    ])
    expect(workspace.regions).toEqual([
      {
        name: 'uk',
        label: 'United Kingdom',
        path: ['dev', 'qa', 'staging', 'production-uk'],
        production: ['production-uk'],
      },
      {
        name: 'us',
        label: 'United States',
        path: ['dev', 'qa', 'staging', 'production-us'],
        production: ['production-us'],
      },
    ])
    expect(workspace.endpoints['rundeck-main']).toEqual({
      kind: 'rundeck',
      url: 'https://rundeck.acme.internal',
      apiVersion: 45,
      credential: 'rundeck-token',
      project: 'payments',
    })
    expect(workspace.services[1]?.github).toEqual({ owner: 'acme', repo: 'ledger', endpoint: 'github' })
    expect(workspace.services[2]?.defaultBranch).toBe('main')
    expect(workspace.trains).toMatchObject({
      timezone: 'Europe/London',
      cut: { day: 'thursday', time: '24:00' },
      deploy: { day: 'friday', time: '10:00' },
      anchor: { date: '2026-01-01', name: 'ALICIA' },
      regions: [
        { region: 'uk', lag: 0 },
        { region: 'us', lag: 1 },
      ],
      hotfixBranch: '{region}-release',
      serviceOrder: ['ledger', 'billing', 'notifier'],
    })
    expect(workspace.settings).toEqual({
      fetchIntervalMinutes: 10,
      probeTimeoutMs: 5000,
      probeConcurrency: 8,
      parallelDeploys: 1,
    })
  })

  it('resolves a target from the environment, filling {service} and {environment} and keeping {sha}', () => {
    const target = resolveTarget(example(), 'billing', 'dev')
    expect(target.skip).toBe(false)
    expect(target.probe).toEqual({
      kind: 'http',
      url: 'https://billing.dev.acme.internal/version',
      format: 'json',
      pointer: '/sha',
    })
    expect(target.deploy).toEqual({
      provider: 'rundeck',
      endpoint: 'rundeck-main',
      jobId: '3b6c0e4a-5a59-4d5c-9f3e-1c2d3e4f5a6b',
      options: { service: 'billing', sha: '{sha}', environment: 'dev' },
    })
    const staging = resolveTarget(example(), 'billing', 'staging')
    expect(staging.deploy).toMatchObject({
      provider: 'jenkins',
      job: 'deploy-billing',
      parameters: { GIT_SHA: '{sha}', TARGET: 'staging' },
    })
  })

  it('applies a service override and keeps the environment deploy job', () => {
    const target = resolveTarget(example(), 'ledger', 'qa')
    expect(target.probe).toEqual({
      kind: 'jenkins',
      endpoint: 'jenkins',
      job: 'deploy-ledger',
      shaParameter: 'GIT_SHA',
      environmentParameter: { name: 'TARGET', value: 'qa' },
    })
    expect(target.deploy).toMatchObject({ provider: 'rundeck', options: { service: 'ledger', environment: 'qa' } })
    expect(resolveTarget(example(), 'billing', 'qa').probe).toMatchObject({
      kind: 'http',
      pattern: 'commit ([0-9a-f]{40})',
    })
  })

  it('marks a skipped service', () => {
    expect(resolveTarget(example(), 'notifier', 'production-us').skip).toBe(true)
    expect(resolveTarget(example(), 'notifier', 'production-uk').skip).toBe(false)
  })

  it('refuses an unknown service or environment', () => {
    expect(() => resolveTarget(example(), 'payroll', 'dev')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => resolveTarget(example(), 'billing', 'prod')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('knows the environment before another on a region path', () => {
    const workspace = example()
    expect(previousEnvironments(workspace, 'production-uk', 'uk')).toEqual(['staging'])
    expect(previousEnvironments(workspace, 'qa', 'us')).toEqual(['dev'])
    expect(previousEnvironments(workspace, 'dev', 'uk')).toEqual([])
    expect(previousEnvironments(workspace, 'production-us', 'uk')).toEqual([])
    // Without a region: every path's, once each.
    expect(previousEnvironments(workspace, 'staging')).toEqual(['qa'])
    expect(previousEnvironments(workspace, 'production-us')).toEqual(['staging'])
  })

  it('lists every credential name with its users, never a value', () => {
    expect(credentialNames(example())).toEqual([
      { name: 'git-acme', usedBy: ['coordination repo', 'service ledger repo'] },
      { name: 'github-token', usedBy: ['endpoint github'] },
      { name: 'jenkins-token', usedBy: ['endpoint jenkins'] },
      { name: 'payments-chat-webhook', usedBy: ['webhook payments-chat'] },
      { name: 'rundeck-token', usedBy: ['endpoint rundeck-main'] },
    ])
  })
})

describe('templates', () => {
  it('fills variables and leaves regex quantifiers alone', () => {
    expect(
      fillTemplate('https://{service}.{environment}.test/{sha}', { service: 'web', environment: 'qa', sha: 'abc' }),
    ).toBe('https://web.qa.test/abc')
    expect(fillTemplate('[0-9a-f]{40}', {})).toBe('[0-9a-f]{40}')
    expect(templateVariables('{region}-release {sha}')).toEqual(['region', 'sha'])
  })

  it('refuses to leave a variable unfilled', () => {
    expect(() => fillTemplate('deploy {sha}', { service: 'web' })).toThrow(
      expect.objectContaining({ code: 'invalid-workspace' }),
    )
  })
})
