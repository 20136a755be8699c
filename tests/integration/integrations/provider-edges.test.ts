import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failure } from '../../support/failure'
import { bindOneCell } from '../../support/one-cell'
import { startRecordingServer } from '../../support/recording-server'
import type { RecordingServer } from '../../support/recording-server'

/*
 * What a provider passes on from a server it does not control: a run link is a link a person clicks,
 * so only http(s) survives; and a 404 says which thing was missing.
 */

const SHA = 'd'.repeat(40)
let hostile: RecordingServer

beforeAll(async () => {
  hostile = await startRecordingServer((req, res) => {
    const path = req.url ?? '/'
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    // Rundeck: every execution carries a script link.
    if (path.startsWith('/api/')) {
      const execution = { id: 5, status: 'running', permalink: 'javascript:alert(document.cookie)' }
      if (path.includes('/executions/running'))
        return json(200, { executions: [{ ...execution, job: { id: 'job-1', options: { environment: 'prod' } } }] })
      return json(200, execution)
    }
    // Jenkins behind a proxy that does not pass /queue on: the job is there, the queue API is not.
    if (path.startsWith('/queue/')) return json(404, {})
    if (path.startsWith('/job/deploy/api/json')) return json(200, { builds: [] })
    json(404, {})
  })
})
afterAll(() => hostile.close())

describe('provider edges', () => {
  it('drops a run link that is not http(s), wherever the provider hands one out', async () => {
    const { provider, request } = bindOneCell(
      { kind: 'rundeck', url: hostile.url, apiVersion: 45, credential: 'rd' },
      't',
    )
    const ref = await provider.trigger({ ...request, sha: SHA })
    expect(ref.id).toBe('5')
    expect(ref.url).toBeUndefined()
    expect((await provider.status(ref)).ref.url).toBeUndefined()
    expect((await provider.running(request)).map((r) => r.url)).toEqual([undefined])
  })

  it("a 404 from Jenkins' queue API names the queue, not the job", async () => {
    const { provider, request } = bindOneCell(
      { kind: 'jenkins', url: hostile.url, user: 'cockpit', credential: 'ci' },
      't',
    )
    const error = await failure(provider.running(request))
    expect(error.code).toBe('not-found')
    expect(error.message).not.toMatch(/job name/)
    expect(error.message).toMatch(/queue/)
  })
})
