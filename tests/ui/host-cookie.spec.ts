import { expect, test, type Page } from '@playwright/test'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { startHost, type RunningHost } from './support/web-host'

const example = resolve(import.meta.dirname, '../../examples/acme.trainyard.yaml')

/** Calls the contract from inside the page, as the renderer's web bridge does (relative to the app's path). */
function callApi(page: Page): Promise<{ status: number; ok: boolean }> {
  return page.evaluate(async () => {
    const response = await fetch('api/preferences.get', { method: 'POST', body: '{}' })
    const body = (await response.json().catch(() => ({}))) as { ok?: boolean }
    return { status: response.status, ok: body.ok === true }
  })
}

test.describe('the web host token in a real browser', () => {
  let first: RunningHost
  let second: RunningHost
  let third: Server
  const seenByThird: string[] = []

  test.beforeAll(async () => {
    first = await startHost(['--workspace', example])
    second = await startHost(['--workspace', example])
    // Any other server on 127.0.0.1 the same browser talks to (a dev server, another tool).
    third = createServer((req, res) => {
      seenByThird.push(req.headers.cookie ?? '')
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title><p>other</p>')
    })
    await new Promise<void>((done) => third.listen(0, '127.0.0.1', done))
  })
  test.afterAll(async () => {
    await Promise.all([first.stop(), second.stop(), new Promise((done) => third.close(done))])
  })

  test('two hosts keep their own cookies, the address bar loses the token, and a third server never gets it', async ({
    page,
    context,
  }) => {
    await page.goto(first.url)
    await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible()
    expect(page.url()).not.toContain('token')
    expect(new URL(page.url()).pathname).toMatch(/^\/trainyard-\d+\/[\w-]+\/$/)

    const other = await context.newPage()
    await other.goto(second.url)
    await expect(other.getByRole('navigation', { name: 'Views' })).toBeVisible()
    expect(other.url()).not.toContain('token')

    // Each host's cookie is named for its port and holds its own token: the second did not overwrite the first.
    const tokenOf = (host: RunningHost) => new URL(host.url).searchParams.get('token')
    const cookies = await context.cookies()
    const port = (host: RunningHost) => new URL(host.url).port
    expect(cookies.find((c) => c.name === `trainyard-${port(first)}`)?.value).toBe(tokenOf(first))
    expect(cookies.find((c) => c.name === `trainyard-${port(second)}`)?.value).toBe(tokenOf(second))
    expect(await callApi(page)).toEqual({ status: 200, ok: true })
    expect(await callApi(other)).toEqual({ status: 200, ok: true })

    // A reload has no token in its URL and still works, by the cookie alone.
    await page.reload()
    await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible()
    expect(await callApi(page)).toEqual({ status: 200, ok: true })

    // The browser visits a third loopback server: pages, an /api path, a fetch from its own page.
    const thirdOrigin = `http://127.0.0.1:${(third.address() as AddressInfo).port}`
    const visit = await context.newPage()
    await visit.goto(`${thirdOrigin}/`)
    await visit.goto(`${thirdOrigin}/api/preferences.get`)
    await visit.evaluate(() => fetch('/api/events').then((r) => r.text()))
    expect(seenByThird.length).toBeGreaterThanOrEqual(3)
    expect(seenByThird.filter((cookie) => cookie.includes('trainyard'))).toEqual([])

    // The app's root without the token is refused: the token is taken only from the printed URL.
    expect((await visit.goto(`${first.origin}/`))?.status()).toBe(403)
  })
})
