import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProbeRunner } from '../../../src/main/core/environments/probe-runner'
import type { Endpoint } from '../../../src/shared/models/workspace'
import { failure } from '../../support/failure'
import { bindOneCell, oneCell } from '../../support/one-cell'
import { answerHuge, startRecordingServer } from '../../support/recording-server'
import type { RecordingServer } from '../../support/recording-server'

/*
 * A server that answers a body far larger than any version page, execution list or build could be:
 * the client reads a bounded prefix, stops reading, and fails with a bad-response that says so.
 */

const HUGE = 256 * 1024 * 1024
/** What a client may have taken when it stops at the cap: the cap itself plus socket and stream buffers. */
const TAKEN_AT_MOST = 64 * 1024 * 1024

let huge: RecordingServer

beforeAll(async () => {
  huge = await startRecordingServer(answerHuge(HUGE))
})
afterAll(() => huge.close())

const rundeck = (): Endpoint => ({ kind: 'rundeck', url: huge.url, apiVersion: 45, credential: 'token' })

describe('response bodies are capped', () => {
  it('a version page answering 256 MiB fails bad-response after a bounded read', async () => {
    const before = huge.bytesSent()
    const runner = createProbeRunner({
      workspace: oneCell({ kind: 'http', url: `${huge.url}/version`, format: 'json', pointer: '/sha' }),
      secret: () => Promise.resolve('t'),
    })
    const result = await runner.probe('web', 'prod')
    expect(result.error?.code).toBe('bad-response')
    expect(result.error?.message).toMatch(/MiB/)
    expect(huge.bytesSent() - before).toBeLessThan(TAKEN_AT_MOST)
  })

  it('a Rundeck probe and a Rundeck provider read stop the same way', async () => {
    const before = huge.bytesSent()
    const runner = createProbeRunner({
      workspace: oneCell({ kind: 'rundeck', endpoint: 'ep', jobId: 'job-1', shaOption: 'sha' }, rundeck()),
      secret: () => Promise.resolve('t'),
    })
    const probed = await runner.probe('web', 'prod')
    expect(probed.error?.code).toBe('bad-response')
    expect(probed.error?.message).toMatch(/MiB/)
    const error = await failure(bindOneCell(rundeck(), 't').provider.status({ provider: 'rundeck', id: '7' }))
    expect(error.code).toBe('bad-response')
    expect(error.message).toMatch(/MiB/)
    expect(huge.bytesSent() - before).toBeLessThan(2 * TAKEN_AT_MOST)
  })
})
