import { describe, expect, it } from 'vitest'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'

const file = '/teams/shop/shop.trainyard.yaml'

/** Three services; `deps` gives each one's `dependsOn` line (or none). Lines: web 7–9, api 10–12, db 13–15. */
function estate(deps: { web?: string; api?: string; db?: string }): string {
  const service = (name: string, dep?: string) => [
    `  - name: ${name}`,
    `    repo: https://git.shop.test/${name}.git`,
    dep ? `    dependsOn: ${dep}` : `    defaultBranch: main`,
  ]
  return [
    'version: 1',
    'name: Shop',
    'endpoints:',
    '  rundeck: { kind: rundeck, url: https://rundeck.shop.test, credential: rundeck-token }',
    '  ci: { kind: jenkins, url: https://ci.shop.test, user: bot, credential: ci-token }',
    'services:',
    ...service('web', deps.web),
    ...service('api', deps.api),
    ...service('db', deps.db),
    'environments:',
    '  dev:',
    '    probe: { http: "https://{service}.dev.shop.test/version", json: /sha }',
    'regions:',
    '  main: { path: [dev] }',
    '',
  ].join('\n')
}

describe('dependsOn in the workspace file', () => {
  it('reads the services each one waits for, as a list or one name', () => {
    const parsed = parseWorkspace(estate({ web: '[api, db]', api: 'db' }), file)
    expect(parsed.problems).toEqual([])
    const deps = Object.fromEntries(parsed.workspace?.services.map((s) => [s.name, s.dependsOn]) ?? [])
    expect(deps).toEqual({ web: ['api', 'db'], api: ['db'], db: undefined })
  })

  it('names an unknown service with a suggestion, at its line', () => {
    const { problems } = parseWorkspace(estate({ web: '[apj]' }), file)
    expect(problems).toHaveLength(1)
    expect(problems[0]?.line).toBe(9)
    expect(problems[0]?.message).toMatch(/`dependsOn` of service `web`.*`apj`/)
    expect(problems[0]?.hint).toMatch(/api/)
  })

  it('reports a cycle once, at the entry that closes it, with the whole loop', () => {
    const { problems } = parseWorkspace(estate({ web: 'api', api: 'db', db: 'web' }), file)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({
      line: 15,
      message: 'services depend on each other in a cycle: web → api → db → web',
    })
  })

  it('reports a service that depends on itself', () => {
    const { problems } = parseWorkspace(estate({ api: 'api' }), file)
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [12, 'services depend on each other in a cycle: api → api'],
    ])
  })
})
