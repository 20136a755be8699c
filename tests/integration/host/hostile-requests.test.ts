import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { startWebHost, type WebHost } from '../../../src/main/host/server'
import { rawRequest as send } from '../../support/raw-http'

describe('the web host against malformed and oversized requests', () => {
  let dir: string
  let cockpit: Cockpit
  let host: WebHost
  let cookie: Record<string, string>
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trainyard-host-hostile-'))
    mkdirSync(join(dir, 'renderer'))
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore(),
      logger: memoryLogger(),
    })
    host = await startWebHost({ cockpit, rendererDir: join(dir, 'renderer') })
    cookie = { cookie: `trainyard-${host.port}=${host.token}` }
  })
  afterAll(async () => {
    await host.close()
    await cockpit.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers 400 to a malformed escape, not 500, with or without the token', async () => {
    const token = { 'x-trainyard-token': host.token }
    expect(await send(host.port, '/%', { headers: token })).toMatchObject({ status: 400 })
    expect(await send(host.port, '/%')).toMatchObject({ status: 400 })
    expect(await send(host.port, `${host.base}assets/%E0%A4%A`, { headers: cookie })).toMatchObject({ status: 400 })
  })

  it('answers 413 to a body over 1 MiB, announced or streamed, and keeps serving', async () => {
    const big = Buffer.alloc((1 << 20) + 1, 0x20)
    const headers = { 'x-trainyard-token': host.token, 'content-type': 'application/json' }
    const announced = await send(host.port, '/api/preferences.get', { method: 'POST', headers, body: big })
    expect(announced.status).toBe(413)
    const streamed = await send(host.port, '/api/preferences.get', {
      method: 'POST',
      headers: { ...headers, 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(4 << 20, 0x20),
      chunked: true,
    })
    expect(streamed.status).toBe(413)
    const fine = await send(host.port, '/api/preferences.get', { method: 'POST', headers, body: Buffer.from('{}') })
    expect(JSON.parse(fine.body)).toMatchObject({ ok: true })
  })

  it('takes `?token=` only on the printed URL: never for the API, assets or the event stream', async () => {
    const query = `token=${host.token}`
    expect(
      (await send(host.port, `/api/preferences.get?${query}`, { method: 'POST', body: Buffer.from('{}') })).status,
    ).toBe(403)
    expect((await send(host.port, `${host.base}?${query}`)).status).toBe(403)
    expect((await send(host.port, `${host.base}api/events?${query}`)).status).toBe(403)
    expect((await send(host.port, `/index.html?${query}`)).status).toBe(403)
    // The cookie is honoured only inside the app's path.
    expect((await send(host.port, '/api/preferences.get', { method: 'POST', headers: cookie })).status).toBe(403)
    expect(
      (
        await send(host.port, `${host.base}api/preferences.get`, {
          method: 'POST',
          headers: cookie,
          body: Buffer.from('{}'),
        })
      ).status,
    ).toBe(200)
  })
})
