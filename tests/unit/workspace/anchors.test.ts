import { describe, expect, it } from 'vitest'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'

const text = `version: 1
name: Anchors
x-deploy: &deploy { rundeck: rd, job: job-1, options: { sha: "{sha}", env: "{environment}" } }
endpoints:
  rd: { kind: rundeck, url: https://rd.test, credential: rd-token }
services:
  - name: web
    repo: https://git.test/web.git
environments:
  dev: &env
    probe: { http: "https://{service}.{environment}.test/v", json: /sha }
    deploy: *deploy
  qa:
    <<: *env
    requirePreviousSuccess: true
  prod:
    <<: *env
    deploy: { <<: *deploy, job: job-2 }
regions:
  main: [dev, qa, prod]
`

describe('YAML anchors in a workspace file', () => {
  it('expands aliases and merge keys, keys written in place winning; `x-` keys at the top hold anchors', () => {
    const { workspace, problems } = parseWorkspace(text, '/w.yaml')
    expect(problems).toEqual([])
    const deploys = workspace?.environments.map((e) => [e.name, e.deploy, e.requirePreviousSuccess])
    const options = { sha: '{sha}', env: '{environment}' }
    expect(deploys).toEqual([
      ['dev', { provider: 'rundeck', endpoint: 'rd', jobId: 'job-1', options }, false],
      ['qa', { provider: 'rundeck', endpoint: 'rd', jobId: 'job-1', options }, true],
      ['prod', { provider: 'rundeck', endpoint: 'rd', jobId: 'job-2', options }, false],
    ])
    expect(workspace?.environments[2]?.probe).toEqual(workspace?.environments[0]?.probe)
  })

  it('reports a mistake inside an anchor at the anchor, once for each use of it', () => {
    const broken = text.replace('rundeck: rd, job: job-1', 'rundeck: rdx, job: job-1')
    const { problems } = parseWorkspace(broken, '/w.yaml')
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'the deploy job of environment `dev` names endpoint `rdx`, which is not defined'],
      [3, 'the deploy job of environment `qa` names endpoint `rdx`, which is not defined'],
      [3, 'the deploy job of environment `prod` names endpoint `rdx`, which is not defined'],
    ])
  })
})
