import { expect, test } from '@playwright/test'
import { startDemoHost, type DemoHost } from './support/demo'

test.describe('promote from a matrix cell', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host.stop()
  })

  test('promotes billing to qa: preview, live log, succeeded and a toast', async ({ page }) => {
    const matrix = await host.call('environments.matrix', {})
    const dev = matrix.cells.find((c) => c.service === 'billing' && c.environment === 'dev')
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Promote billing to qa' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote billing to qa' })
    // The default SHA is what the environment before it (dev) runs.
    await expect(dialog.getByRole('textbox', { name: 'SHA to deploy' })).toHaveValue(dev?.shortSha ?? 'missing')
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await expect(dialog.getByTestId('preview-kind')).toHaveText(/Forward|Redeploy/)
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText(dev?.subject ?? 'missing')
    await page.screenshot({ path: 'docs/screenshots/promote-preview.png' })
    await dialog.getByRole('button', { name: 'Deploy' }).click()
    const log = dialog.getByRole('log', { name: 'Deploy log' })
    await expect(log).toContainText('Installing release')
    await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 })
    // Log text is text: markup in it shows as written and is never parsed.
    await expect(log).toContainText('<b>200 OK</b> &amp; fast')
    await expect(log.locator('b')).toHaveCount(0)
    await expect(log.locator('.fg-green').first()).toBeVisible()
    await expect(page.getByTestId('toast').first()).toBeVisible()
    await page.screenshot({ path: 'docs/screenshots/promote-log.png' })
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByTestId('cell-billing-qa')).toContainText(dev?.shortSha ?? 'missing')
  })
})
