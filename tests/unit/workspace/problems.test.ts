import { describe, expect, it } from 'vitest'
import type { WorkspaceProblem } from '../../../src/shared/api/views'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'

const file = '/teams/shop/shop.trainyard.yaml'

/** A small valid workspace; tests replace one line of it to make one mistake (line numbers in comments). */
const valid = [
  'version: 1', // 1
  'name: Shop', // 2
  'endpoints:', // 3
  '  rundeck: { kind: rundeck, url: https://rundeck.shop.test, credential: rundeck-token }', // 4
  '  ci: { kind: jenkins, url: https://ci.shop.test, user: bot, credential: ci-token }', // 5
  'services:', // 6
  '  - name: web', // 7
  '    repo: https://git.shop.test/web.git', // 8
  'environments:', // 9
  '  dev:', // 10
  '    probe: { http: "https://{service}.dev.shop.test/version", json: /sha }', // 11
  '    deploy: { rundeck: rundeck, job: job-1, options: { sha: "{sha}" } }', // 12
  '  prod:', // 13
  '    probe: { rundeck: rundeck, job: job-2, environment: { option: env, value: prod } }', // 14
  'regions:', // 15
  '  main: { path: [dev, prod] }', // 16
]

function withLine(line: number, text: string | string[]): string {
  const lines = [...valid]
  lines.splice(line - 1, 1, ...(Array.isArray(text) ? text : [text]))
  return lines.join('\n') + '\n'
}

/** 1-based column of `needle` in a line of the valid file after one edit, so expectations name the token they point at. */
function col(line: string, needle: string): number {
  const index = line.indexOf(needle)
  expect(index).toBeGreaterThanOrEqual(0)
  return index + 1
}

function problems(text: string): WorkspaceProblem[] {
  const parsed = parseWorkspace(text, file)
  expect(parsed.workspace).toBeNull()
  return parsed.problems
}

function only(text: string): WorkspaceProblem {
  const found = problems(text)
  expect(found, JSON.stringify(found, null, 1)).toHaveLength(1)
  return found[0] as WorkspaceProblem
}

describe('workspace problems', () => {
  it('the base file is valid', () => {
    const parsed = parseWorkspace(valid.join('\n'), file)
    expect(parsed.problems).toEqual([])
    expect(parsed.workspace?.environments.map((e) => e.name)).toEqual(['dev', 'prod'])
  })

  it('reports a YAML syntax error at its line', () => {
    const problem = only(withLine(8, '    repo: https://git.shop.test/web.git: main'))
    expect(problem).toMatchObject({
      file,
      line: 8,
      column: 11,
      message: 'YAML syntax error: Nested mappings are not allowed in compact mappings',
    })
    expect(problem.hint).toMatch(/^quote a value that contains `: `/)
  })

  it('reports a tab used for indentation', () => {
    const problem = problems(withLine(8, '\trepo: https://git.shop.test/web.git'))[0]
    expect(problem).toMatchObject({ line: 8, hint: 'indent with spaces, not tabs' })
  })

  it('suggests the nearest top-level key for an unknown one', () => {
    const problem = only(withLine(9, 'enviroments:'))
    expect(problem).toMatchObject({
      file,
      line: 9,
      column: 1,
      message: 'unknown key `enviroments` in the workspace',
      hint: 'did you mean `environments`?',
    })
  })

  it('suggests the nearest key inside a service', () => {
    const problem = only(withLine(8, ['    repo: https://git.shop.test/web.git', '    defaultBrnch: main']))
    expect(problem).toMatchObject({ line: 9, column: 5, hint: 'did you mean `defaultBranch`?' })
  })

  it('reports a missing required field at the mapping that lacks it', () => {
    const problem = only(withLine(8, []))
    expect(problem).toMatchObject({
      line: 7,
      column: 5,
      message: 'service #1 is missing `repo`',
      hint: 'add `repo: …`',
    })
  })

  it('reports a missing endpoint field with what its kind needs', () => {
    const problem = only(withLine(5, '  ci: { kind: jenkins, url: https://ci.shop.test, credential: ci-token }'))
    expect(problem).toMatchObject({ line: 5, column: 7, message: 'endpoint `ci` is missing `user`' })
    expect(problem.hint).toMatch(/a jenkins endpoint needs it/)
  })

  it('reports a wrong type: text where a number goes, and a mapping where a list goes', () => {
    const found = problems(withLine(16, ['  main: { path: [dev, prod] }', 'settings: { probeTimeoutMs: fast }']))
    expect(found[0]).toMatchObject({
      line: 17,
      column: 29,
      message: 'probeTimeoutMs must be a whole number from 100 to 120000',
      hint: 'write e.g. `probeTimeoutMs: 5000` (milliseconds per probe)',
    })
    const list = only(withLine(7, ['  web:', '    name: web']).replace('    repo: https://git.shop.test/web.git\n', ''))
    expect(list).toMatchObject({
      line: 7,
      column: 3,
      message: '`services` must be a list',
      hint: 'write each service as a list entry: `- name: billing`',
    })
  })

  it('reports a service defined twice, pointing at the second', () => {
    const problem = only(
      withLine(8, [
        '    repo: https://git.shop.test/web.git',
        '  - name: web',
        '    repo: https://git.shop.test/web2.git',
      ]),
    )
    expect(problem).toMatchObject({
      line: 9,
      column: 11,
      message: 'service `web` is defined twice (first on line 7)',
      hint: 'keep one definition and merge the two',
    })
  })

  it('reports an environment defined twice', () => {
    const problem = only(withLine(15, ['  dev:', '    probe: none', 'regions:']))
    expect(problem).toMatchObject({
      line: 15,
      column: 3,
      message: 'environment `dev` is defined twice (first on line 10)',
    })
  })

  it('reports a region path naming an undefined environment, with the nearest name', () => {
    const problem = only(withLine(16, '  main: { path: [dev, prd] }'))
    expect(problem).toMatchObject({
      line: 16,
      column: 23,
      message: 'the path of region `main` names environment `prd`, which is not defined',
      hint: 'did you mean `prod`?',
    })
  })

  it('reports a probe naming an undefined endpoint', () => {
    const problem = only(withLine(14, '    probe: { rundeck: rundek-main, job: job-2 }'))
    expect(problem).toMatchObject({
      line: 14,
      column: 23,
      message: 'the probe of environment `prod` names endpoint `rundek-main`, which is not defined',
    })
    expect(problem.hint).toMatch(/define it under `endpoints:`/)
  })

  it('reports an endpoint of the wrong kind for its use', () => {
    const problem = only(withLine(12, '    deploy: { rundeck: ci, job: job-1, options: { sha: "{sha}" } }'))
    expect(problem).toMatchObject({
      line: 12,
      column: 24,
      message: '`ci` is a jenkins endpoint, but the deploy job of environment `dev` needs a rundeck endpoint',
      hint: 'name a rundeck endpoint: `rundeck`',
    })
  })

  it('reports a key that belongs to another kind of probe', () => {
    const line = '    probe: { rundeck: rundeck, job: job-2, json: /sha }'
    const problem = only(withLine(14, line))
    expect(problem).toMatchObject({ line: 14, column: col(line, 'json'), message: 'a rundeck probe has no `json`' })
    expect(problem.hint).toBe('remove it; a rundeck probe takes `rundeck`, `job`, `shaOption`, `environment`')
  })

  it('reports an invalid URL', () => {
    const problem = only(withLine(8, '    repo: git.shop.test/web.git'))
    expect(problem).toMatchObject({
      line: 8,
      column: 11,
      message: 'the repo of service `web` is not a valid URL: "git.shop.test/web.git"',
    })
    expect(problem.hint).toMatch(/full http\(s\) URL/)
  })

  it('reports a secret written under a token key, without repeating it', () => {
    const line =
      '  ci: { kind: jenkins, url: https://ci.shop.test, user: bot, credential: ci-token, apiToken: 11aa22bb33cc44dd55ee66ff77aa88bb99 }'
    const problem = only(withLine(5, line))
    expect(problem).toMatchObject({
      line: 5,
      column: col(line, 'apiToken'),
      message: 'a secret is written in the file (`apiToken:`)',
    })
    expect(problem.hint).toBe(
      'secrets go in the keychain: `trainyard credentials set ci-token`, and the file names it with `credential: ci-token`',
    )
    expect(JSON.stringify(problem)).not.toContain('11aa22bb')
  })

  it('reports a value that looks like a token', () => {
    const line =
      '  rundeck: { kind: rundeck, url: https://rundeck.shop.test, credential: ghp_R4nd0mL00kingT0kenValue12345678 }'
    const problem = only(withLine(4, line))
    expect(problem).toMatchObject({
      line: 4,
      column: col(line, 'ghp_'),
      message: 'this value looks like a secret (a token or a password) written in the file',
    })
    expect(problem.hint).toMatch(/trainyard credentials set/)
    expect(JSON.stringify(problem)).not.toContain('ghp_')
  })

  it('reports a password inside a repository URL', () => {
    expect(only(withLine(8, '    repo: https://bot:hunter2@git.shop.test/web.git'))).toMatchObject({
      line: 8,
      column: 11,
    })
  })

  it('reports an invalid regex', () => {
    const line = '    probe: { http: "https://{service}.dev.shop.test/version", text: "commit ([0-9a-f]{40}" }'
    const problem = only(withLine(11, line))
    expect(problem).toMatchObject({ line: 11, column: col(line, '"commit') })
    expect(problem.message).toMatch(/is not a valid regular expression/)
    expect(problem.hint).toMatch(/first group captures the SHA/)
  })

  it('reports an invalid JSON pointer', () => {
    const line = '    probe: { http: "https://{service}.dev.shop.test/version", json: build.sha }'
    const problem = only(withLine(11, line))
    expect(problem).toMatchObject({
      line: 11,
      column: col(line, 'build.sha'),
      message: '"build.sha" is not a JSON pointer',
    })
    expect(problem.hint).toMatch(/starts with `\/`/)
  })

  it('reports an unknown weekday, a bad time and an unknown time zone', () => {
    const trains = [
      'trains:',
      '  timezone: Europe/Lundon',
      '  cut: thursdy 24:00',
      '  deploy: { day: friday, time: "25:00" }',
      '  names: [A, B]',
      '  anchor: { date: 2026-01-01, name: A }',
    ]
    const found = problems(withLine(16, ['  main: { path: [dev, prod] }', ...trains]))
    expect(found).toHaveLength(3)
    expect(found[0]).toMatchObject({ line: 18, column: 13, message: 'unknown time zone "Europe/Lundon"' })
    expect(found[0]?.hint).toMatch(/^did you mean `Europe\/London`\?/)
    expect(found[1]).toMatchObject({
      line: 19,
      column: 8,
      message: 'unknown weekday "thursdy" in the train cut',
      hint: 'did you mean `thursday`?',
    })
    expect(found[2]).toMatchObject({
      line: 20,
      column: 32,
      message: '"25:00" in the train deploy is not a time of day',
    })
  })

  it('reports duplicate train names', () => {
    const trains = [
      'trains:',
      '  timezone: Europe/London',
      '  cut: thursday 24:00',
      '  deploy: friday 10:00',
      '  names: [ALICIA, BERTHA, alicia]',
      '  anchor: { date: 2026-01-01, name: ALICIA }',
    ]
    const problem = only(withLine(16, ['  main: { path: [dev, prod] }', ...trains]))
    expect(problem).toMatchObject({
      line: 21,
      column: 27,
      message: 'train name `alicia` is listed twice (first on line 21)',
    })
  })

  it('reports an unknown template variable, with the nearest one', () => {
    const problem = only(withLine(11, '    probe: { http: "https://{servce}.dev.shop.test/version", json: /sha }'))
    expect(problem).toMatchObject({
      line: 11,
      column: 20,
      message: 'unknown template variable `{servce}` in the URL of the probe of environment `dev`',
      hint: 'did you mean `{service}`?',
    })
  })

  it('explains that {sha} is not known to a probe', () => {
    const problem = only(withLine(11, '    probe: { http: "https://{service}.dev.shop.test/{sha}", json: /sha }'))
    expect(problem.hint).toMatch(/^`\{sha\}` is only known when deploying/)
  })

  it('reports a deploy job that never passes the SHA', () => {
    const line = '    deploy: { rundeck: rundeck, job: job-1, options: { env: dev } }'
    const problem = only(withLine(12, line))
    expect(problem).toMatchObject({
      line: 12,
      column: col(line, '{ env'),
      message: 'the deploy job of environment `dev` never passes the SHA to deploy',
    })
  })

  it('reports a github probe for a service without a GitHub repository', () => {
    const problem = only(withLine(11, '    probe: { github: dev }'))
    expect(problem).toMatchObject({ line: 7, column: 5 })
    expect(problem.hint).toMatch(/add `github: owner\/repo`/)
  })

  it('reports every problem in one pass, sorted by line', () => {
    const text = withLine(16, '  main: { path: [dev, prd] }')
      .replace('enviro', 'enviro')
      .replace('name: Shop', 'name: Shop\ncolour: blue')
    const found = problems(text.replace('json: /sha', 'json: sha'))
    expect(found.map((p) => p.line)).toEqual([3, 12, 17])
  })

  it('never throws for odd input', () => {
    for (const text of ['', '- a\n- b', 'name: [', '42', 'services: 3\n', '? [a]\n: b\n']) {
      expect(() => parseWorkspace(text, file)).not.toThrow()
      expect(parseWorkspace(text, file).problems.length).toBeGreaterThan(0)
    }
  })
})
