import { describe, expect, it } from 'vitest'
import { jobPath } from '../../../src/main/core/integrations/jenkins/session'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'

function workspaceWithJob(job: string): string {
  return `version: 1
name: Folders
endpoints:
  ci: { kind: jenkins, url: https://ci.shop.test, user: bot, credential: ci-token }
services:
  - name: search
    repo: https://git.shop.test/search.git
environments:
  dev:
    probe: { jenkins: ci, job: "${job}", shaParameter: GIT_SHA }
    deploy: { jenkins: ci, job: "${job}", parameters: { GIT_SHA: "{sha}" } }
regions:
  main: [dev]
`
}

describe('a Jenkins job in a folder', () => {
  it('may be written as in its URL, and means the same job as its folder path', () => {
    for (const written of [
      'release/job/deploy-{service}',
      'job/release/job/deploy-{service}/',
      'release/deploy-{service}',
    ]) {
      const { workspace, problems } = parseWorkspace(workspaceWithJob(written), '/w.yaml')
      expect(problems, written).toEqual([])
      const dev = workspace?.environments[0]
      expect(dev?.deploy).toMatchObject({ provider: 'jenkins', job: 'release/deploy-{service}' })
      expect(dev?.probe).toMatchObject({ kind: 'jenkins', job: 'release/deploy-{service}' })
      // The provider then asks Jenkins for the job where it is: /job/release/job/deploy-search/.
      expect(jobPath('release/deploy-search')).toBe('job/release/job/deploy-search/')
    }
  })

  it('keeps a job whose name merely contains `job`, and reports a whole URL with how to write it', () => {
    const plain = parseWorkspace(workspaceWithJob('ops/job'), '/w.yaml')
    expect(plain.workspace?.environments[0]?.deploy).toMatchObject({ job: 'ops/job' })
    const url = parseWorkspace(workspaceWithJob('https://ci.shop.test/job/release/job/deploy-search/'), '/w.yaml')
    expect(url.problems.map((p) => [p.line, p.message, p.hint])).toEqual([
      [
        10,
        'the job of the probe of environment `dev` is a URL: "https://ci.shop.test/job/release/job/deploy-search/"',
        "write the job's folder path, e.g. `job: release/deploy-search`; the endpoint says which server",
      ],
      [
        11,
        'the job of the deploy job of environment `dev` is a URL: "https://ci.shop.test/job/release/job/deploy-search/"',
        "write the job's folder path, e.g. `job: release/deploy-search`; the endpoint says which server",
      ],
    ])
  })
})
