import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import { removeDir, tmpDir } from '../../support/git-repo'

describe('credential states in Settings', () => {
  let versions: VersionEndpoint
  let cockpit: Cockpit
  let dir: string

  beforeAll(async () => {
    dir = tmpDir('trainyard-credcheck-')
    versions = await startVersionEndpoint({ token: 'right-version-token' })
    versions.set('web', 'prod', 'a'.repeat(40))
    const file = join(dir, 'ws.trainyard.yaml')
    writeFileSync(
      file,
      `version: 1
name: Checks
services:
  - { name: web, repo: "http://127.0.0.1:9/web.git" }
environments:
  prod: { probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha, credential: version-token } }
regions:
  eu: [prod]
settings: { fetchIntervalMinutes: 0 }
`,
    )
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore({ 'version-token': 'wrong-token' }),
      logger: memoryLogger(),
    })
    await cockpit.invoke('workspace.open', { file })
  })

  afterAll(async () => {
    await cockpit?.close()
    await versions?.close()
    removeDir(dir)
  })

  it('says "check failed" after the endpoint refused the secret, and "set" once it is replaced; never the value', async () => {
    expect(await cockpit.invoke('credentials.list', {})).toEqual([
      { name: 'version-token', state: 'set', usedBy: expect.any(Array) as unknown },
    ])
    const matrix = await cockpit.invoke('environments.matrix', { refresh: true })
    expect(matrix.cells[0]?.probe.error?.code).toBe('auth-failed')
    const states = await cockpit.invoke('credentials.list', {})
    expect(states.map((s) => [s.name, s.state])).toEqual([['version-token', 'check-failed']])
    expect(JSON.stringify(states)).not.toContain('wrong-token')
    await cockpit.invoke('credentials.set', { name: 'version-token', secret: 'right-version-token' })
    expect((await cockpit.invoke('credentials.list', {}))[0]?.state).toBe('set')
    const fixed = await cockpit.invoke('environments.matrix', { refresh: true })
    // Read now; with no clone to confirm it in, the cell asks for a fetch instead of refusing the secret.
    expect(fixed.cells[0]?.probe.raw).toBe('a'.repeat(40))
    expect(fixed.cells[0]?.probe.error?.code).toBe('sha-not-in-clone')
  })
})
