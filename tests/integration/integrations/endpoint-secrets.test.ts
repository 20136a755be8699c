import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import type { Endpoint } from '../../../src/shared/models/workspace'
import { answerJson, startRecordingServer, type RecordingServer } from '../../support/recording-server'
import { removeDir, tmpDir } from '../../support/git-repo'

/*
 * `endpoints.test` takes an endpoint from the caller (the form, or anyone holding the web host's token).
 * A keychain secret goes only to the origin the open workspace binds that credential to; any other URL
 * gets a secret only when one is typed.
 */

const TOKEN = 'Rdk-stored-secret-never-sent-elsewhere-77'
const TYPED = 'typed-secret-for-this-test-only-12'

let rundeck: RundeckSimulator
let foreign: RecordingServer
let cockpit: Cockpit
let dir: string

beforeAll(async () => {
  dir = tmpDir('trainyard-endpoint-secrets-')
  rundeck = await startRundeckSimulator({ jobs: [], tokens: { [TOKEN]: 'cockpit' } })
  foreign = await startRecordingServer(answerJson({ system: { rundeck: { version: '5.7.0', apiversion: 50 } } }))
  cockpit = await createCockpit({
    paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
    appState: memoryAppState(),
    secrets: new MemorySecretStore({ 'rundeck-token': TOKEN, 'github-token': TOKEN }),
    logger: memoryLogger(),
  })
})
afterAll(async () => {
  await cockpit?.close()
  await rundeck?.close()
  await foreign?.close()
  removeDir(dir)
})

function openWorkspace(): Promise<unknown> {
  const file = join(dir, 'bound.trainyard.yaml')
  writeFileSync(
    file,
    `version: 1
name: Bound
endpoints:
  rd: { kind: rundeck, url: "${rundeck.url}", apiVersion: 45, credential: rundeck-token }
services:
  - { name: web, repo: "http://127.0.0.1:9/web.git" }
environments:
  prod: { probe: none }
regions:
  eu: [prod]
settings: { fetchIntervalMinutes: 0 }
`,
  )
  return cockpit.invoke('workspace.open', { file })
}

function sentTo(server: RecordingServer): string {
  return JSON.stringify(server.requests.map((r) => r.headers))
}

const foreignEndpoints = (): Endpoint[] => [
  { kind: 'rundeck', url: foreign.url, apiVersion: 45, credential: 'rundeck-token' },
  { kind: 'jenkins', url: foreign.url, user: 'cockpit', credential: 'rundeck-token' },
  { kind: 'github', url: foreign.url, credential: 'github-token' },
  { kind: 'http', url: `${foreign.url}/version`, credential: 'rundeck-token' },
]

describe('endpoints.test and stored secrets', () => {
  it('never sends a stored secret when no workspace is open', async () => {
    for (const endpoint of foreignEndpoints()) {
      const result = await cockpit.invoke('endpoints.test', { endpoint })
      expect(result).toMatchObject({ ok: false, code: 'credential-missing' })
      expect(result.message).toMatch(/type/i)
    }
    expect(sentTo(foreign)).not.toContain(TOKEN)
    expect(sentTo(foreign)).not.toContain(Buffer.from(`cockpit:${TOKEN}`).toString('base64'))
  })

  it('uses a stored secret only on the origin the open workspace binds it to', async () => {
    await openWorkspace()
    for (const endpoint of foreignEndpoints()) {
      const result = await cockpit.invoke('endpoints.test', { endpoint })
      expect(result).toMatchObject({ ok: false, code: 'credential-missing' })
    }
    expect(sentTo(foreign)).not.toContain(TOKEN)
    expect(sentTo(foreign)).not.toContain(Buffer.from(`cockpit:${TOKEN}`).toString('base64'))
    // The bound origin (another path on it too) gets the stored token.
    const bound = await cockpit.invoke('endpoints.test', {
      endpoint: { kind: 'rundeck', url: `${rundeck.url}/`, apiVersion: 45, credential: 'rundeck-token' },
    })
    expect(bound).toMatchObject({ ok: true })
    // The same origin under another credential name is not a binding of this one.
    const otherName = await cockpit.invoke('endpoints.test', {
      endpoint: { kind: 'rundeck', url: rundeck.url, apiVersion: 45, credential: 'github-token' },
    })
    expect(otherName).toMatchObject({ ok: false, code: 'credential-missing' })
  })

  it('sends a typed secret wherever the person points it', async () => {
    const before = foreign.requests.length
    const result = await cockpit.invoke('endpoints.test', {
      endpoint: { kind: 'rundeck', url: foreign.url, apiVersion: 45, credential: 'rundeck-token' },
      secret: TYPED,
    })
    expect(result.ok).toBe(true)
    expect(foreign.requests.slice(before).map((r) => r.headers['x-rundeck-auth-token'])).toContain(TYPED)
    expect(sentTo(foreign)).not.toContain(TOKEN)
  })
})
