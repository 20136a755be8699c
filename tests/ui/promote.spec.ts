import { expect, test } from '@playwright/test'
import { demoGit, startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

test.describe('promote from a matrix cell', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
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
    await page.screenshot({ path: screenshotPath('promote-preview.png') })
    await dialog.getByRole('button', { name: 'Deploy' }).click()
    const log = dialog.getByRole('log', { name: 'Deploy log' })
    await expect(log).toContainText('Installing release')
    await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 })
    // Log text is text: markup in it shows as written and is never parsed.
    await expect(log).toContainText('<b>200 OK</b> &amp; fast')
    await expect(log.locator('b')).toHaveCount(0)
    await expect(log.locator('.fg-green').first()).toBeVisible()
    await expect(page.getByTestId('toast').first()).toBeVisible()
    await page.screenshot({ path: screenshotPath('promote-log.png') })
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByTestId('cell-billing-qa')).toContainText(dev?.shortSha ?? 'missing')
  })

  test('a rollback needs an explicit "Roll back" choice and a reason', async ({ page }) => {
    const matrix = await host.call('environments.matrix', {})
    const staging = matrix.cells.find((c) => c.service === 'billing' && c.environment === 'staging')
    const older = demoGit('billing', 'log', '-1', '--format=%h', `${staging?.probe.sha ?? 'missing'}^1`)
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Promote billing to staging' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote billing to staging' })
    await dialog.getByRole('textbox', { name: 'SHA to deploy' }).fill(older)
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await expect(dialog.getByTestId('preview-kind')).toHaveText('Rollback')
    await expect(dialog.getByRole('region', { name: 'Will be removed' })).toContainText(staging?.subject ?? 'missing')
    const confirm = dialog.getByRole('button', { name: 'Roll back', exact: true })
    await expect(confirm).toBeDisabled()
    await dialog.getByRole('checkbox', { name: /Roll back staging on purpose/ }).check()
    await expect(confirm).toBeDisabled()
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('refund totals wrong since the audit log')
    await expect(confirm).toBeEnabled()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  })
})
