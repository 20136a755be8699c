import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'
import type { WorkspaceDraft } from '../../../src/shared/workspace/stringify-workspace'
import { stringifyWorkspace } from '../../../src/shared/workspace/stringify-workspace'

const examplePath = fileURLToPath(new URL('../../../examples/acme.trainyard.yaml', import.meta.url))

describe('stringifyWorkspace', () => {
  it('round-trips the example workspace', () => {
    const original = parseWorkspace(readFileSync(examplePath, 'utf8'), examplePath).workspace
    expect(original).not.toBeNull()
    if (!original) return
    const text = stringifyWorkspace(original)
    const again = parseWorkspace(text, examplePath)
    expect(again.problems).toEqual([])
    expect(again.workspace).toEqual(original)
  })

  it('writes what a "Create a workspace" form fills, in shorthand, and reads it back with defaults', () => {
    const draft: WorkspaceDraft = {
      name: 'Shop',
      endpoints: {
        rundeck: { kind: 'rundeck', url: 'https://rundeck.shop.test', apiVersion: 45, credential: 'rundeck-token' },
      },
      services: [
        {
          name: 'web',
          repo: { url: 'https://git.shop.test/web.git' },
          defaultBranch: 'main',
          github: { owner: 'shop', repo: 'web' },
          environments: {},
        },
      ],
      environments: [
        {
          name: 'dev',
          probe: { kind: 'http', url: 'https://{service}.dev.shop.test/version', format: 'json', pointer: '/sha' },
          deploy: { provider: 'rundeck', endpoint: 'rundeck', jobId: 'job-1', options: { sha: '{sha}' } },
          requirePreviousSuccess: false,
        },
        { name: 'prod', probe: { kind: 'none' }, requirePreviousSuccess: true },
      ],
      regions: [{ name: 'main', label: 'main', path: ['dev', 'prod'], production: ['prod'] }],
    }
    const text = stringifyWorkspace(draft)
    expect(text).toContain(
      '  rundeck: { kind: rundeck, url: https://rundeck.shop.test, apiVersion: 45, credential: rundeck-token }\n',
    )
    expect(text).toContain('    repo: https://git.shop.test/web.git\n')
    expect(text).toContain('    github: shop/web\n')
    expect(text).toContain('    probe: none\n')
    expect(text).toContain('  main: { path: [ dev, prod ] }\n')
    const parsed = parseWorkspace(text, '/tmp/shop.trainyard.yaml')
    expect(parsed.problems).toEqual([])
    expect(parsed.workspace).toEqual({
      ...draft,
      file: '/tmp/shop.trainyard.yaml',
      settings: { fetchIntervalMinutes: 10, probeTimeoutMs: 5000, probeConcurrency: 8, parallelDeploys: 1 },
    })
  })
})
