import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startHost, type RunningHost } from './support/web-host'
import { screenshotPath } from './support/screenshots'

const example = resolve(import.meta.dirname, '../../examples/acme.trainyard.yaml')

test.describe('a workspace file in the web host', () => {
  let host: RunningHost
  test.beforeAll(async () => {
    host = await startHost(['--workspace', example])
  })
  test.afterAll(async () => {
    await host.stop()
  })

  test('shows its services and environments per region path', async ({ page }) => {
    await page.goto(host.url)
    await expect(page.getByRole('navigation', { name: 'Views' })).toContainText('Environments')
    const uk = page.getByRole('list', { name: /United Kingdom promotion path/ })
    await expect(uk).toContainText('production-uk')
    await expect(uk.getByRole('listitem')).toHaveText(['dev', 'qa', 'staging', 'production-uk'])
    await expect(page.getByRole('list', { name: /United States promotion path/ })).toContainText('production-us')
    await expect(page.getByRole('rowheader', { name: 'billing' }).first()).toBeVisible()
    await page.screenshot({ path: screenshotPath('workspace-environments.png'), fullPage: true })
  })

  test('switches views and themes from the frame', async ({ page }) => {
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Settings' }).click()
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
    await page.getByLabel('dark').check()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await page.getByLabel('light').check()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  })

  test('refuses requests without the token or from another origin', async ({ request }) => {
    const bare = await request.get(`${host.origin}/`)
    expect(bare.status()).toBe(403)
    const api = await request.post(`${host.origin}/api/workspace.current`, { data: {} })
    expect(api.status()).toBe(403)
    const token = new URL(host.url).searchParams.get('token') ?? ''
    const foreign = await request.post(`${host.origin}/api/workspace.current`, {
      data: {},
      headers: { 'x-trainyard-token': token, origin: 'http://evil.example' },
    })
    expect(foreign.status()).toBe(403)
    const allowed = await request.post(`${host.origin}/api/workspace.current`, {
      data: {},
      headers: { 'x-trainyard-token': token },
    })
    expect(allowed.status()).toBe(200)
    expect(((await allowed.json()) as { ok: boolean }).ok).toBe(true)
  })
})

test('an invalid workspace file shows its problems with line numbers', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bad-'))
  const file = join(dir, 'bad.yaml')
  writeFileSync(file, 'version: 1\nname: Broken\nservicez: []\n')
  const host = await startHost([])
  try {
    await page.goto(host.url)
    await page.getByLabel('Open a workspace file').fill(file)
    await page.getByRole('button', { name: 'Open' }).click()
    const problems = page.getByRole('alert')
    await expect(problems).toContainText('3:1')
    await expect(problems).toContainText('servicez')
  } finally {
    await host.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
