import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAppState } from '../../../src/main/core/app-state-port'
import type { Cockpit } from '../../../src/main/core/cockpit'
import { createCockpit } from '../../../src/main/core/create-cockpit'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { memoryLogger } from '../../../src/main/core/logger'
import { startWebHost, type WebHost } from '../../../src/main/host/server'
import { rawRequest as call } from '../../support/raw-http'

describe('the web host', () => {
  let dir: string
  let cockpit: Cockpit
  let host: WebHost
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trainyard-host-'))
    mkdirSync(join(dir, 'renderer'))
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
    cockpit = await createCockpit({
      paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
      appState: memoryAppState(),
      secrets: new MemorySecretStore(),
      logger: memoryLogger(),
    })
    host = await startWebHost({ cockpit, rendererDir: join(dir, 'renderer') })
  })
  afterAll(async () => {
    await host.close()
    await cockpit.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const auth = () => ({ 'x-trainyard-token': host.token, 'content-type': 'application/json' })

  it('binds to 127.0.0.1 and prints a URL carrying a random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/)
  })

  it('answers 403 without the token, with a wrong token, or for a foreign Host or Origin', async () => {
    expect((await call(host.port, '/')).status).toBe(403)
    expect((await call(host.port, '/api/workspace.current', { method: 'POST', body: '{}' })).status).toBe(403)
    expect(
      (
        await call(host.port, '/api/workspace.current', {
          method: 'POST',
          body: '{}',
          headers: { 'x-trainyard-token': 'nope' },
        })
      ).status,
    ).toBe(403)
    expect((await call(host.port, '/', { headers: { ...auth(), host: `attacker.example:${host.port}` } })).status).toBe(
      403,
    )
    expect(
      (
        await call(host.port, '/api/workspace.current', {
          method: 'POST',
          body: '{}',
          headers: { ...auth(), origin: 'https://attacker.example' },
        })
      ).status,
    ).toBe(403)
  })

  it('turns the printed token into a cookie for the app, then serves the renderer with a strict CSP', async () => {
    const first = await new Promise<{ status: number; location: string; cookie: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}` }, (res) => {
        res.resume()
        resolve({
          status: res.statusCode ?? 0,
          location: String(res.headers.location),
          cookie: String(res.headers['set-cookie']),
        })
      })
        .on('error', reject)
        .end()
    })
    expect(first.status).toBe(302)
    expect(first.location).toBe(host.base)
    expect(first.cookie).toContain('HttpOnly')
    expect(first.cookie).toContain(`trainyard-${host.port}=${host.token}`)
    expect(first.cookie).toContain(`Path=${host.base}`)
    const page = await new Promise<{ status: number; csp: string }>((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: host.base,
          headers: { cookie: `trainyard-${host.port}=${host.token}` },
        },
        (res) => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, csp: String(res.headers['content-security-policy']) })
        },
      )
        .on('error', reject)
        .end()
    })
    expect(page.status).toBe(200)
    expect(page.csp).toContain("script-src 'self'")
    expect(page.csp).not.toContain('unsafe-eval')
  })

  it('dispatches commands as outcomes and validates their input', async () => {
    const ok = await call(host.port, '/api/preferences.get', { method: 'POST', body: '{}', headers: auth() })
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: { theme: 'system', lastView: 'environments' } })
    const bad = await call(host.port, '/api/preferences.set', {
      method: 'POST',
      body: '{"theme":"purple"}',
      headers: auth(),
    })
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const unknown = await call(host.port, '/api/nope.nothing', { method: 'POST', body: '{}', headers: auth() })
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const notJson = await call(host.port, '/api/preferences.get', { method: 'POST', body: '{', headers: auth() })
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('streams core events as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/api/events', headers: { 'x-trainyard-token': host.token } },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => {
            text += c.toString()
            if (text.includes('notifications.shown')) {
              resolve(text)
              req.destroy()
            }
          })
        },
      )
      req.on('error', reject)
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    cockpit.events.emit('notifications.shown', {
      title: 'Deployed billing → qa',
      body: 'abc1234 is live.',
      kind: 'succeeded',
    })
    const text = await received
    expect(text).toContain('event: notifications.shown')
    expect(text).toContain('"title":"Deployed billing → qa"')
  })
})
