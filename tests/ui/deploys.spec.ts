import { expect, test } from '@playwright/test'
import { startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

test.describe('the Deploys view', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('lists runs newest first, follows a new run live, filters, and shows its log as text', async ({ page }) => {
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Deploys' }).click()
    const history = page.getByRole('table', { name: 'Deploy history' })
    const listed = (await host.call('deploys.list', { limit: 500 })).length
    // A header row plus one row per run.
    await expect(history.getByRole('row')).toHaveCount(listed + 1)

    const matrix = await host.call('environments.matrix', {})
    const dev = matrix.cells.find((c) => c.service === 'notifications' && c.environment === 'dev')
    const run = await host.call('deploys.start', {
      service: 'notifications',
      environment: 'dev',
      target: dev?.probe.sha ?? 'master',
    })
    const row = page.getByTestId(`run-${run.id}`)
    // Pushed by `deploys.changed`, no reload.
    await expect(row).toBeVisible()
    await expect(history.getByRole('row').nth(1)).toHaveAttribute('data-testid', `run-${run.id}`)
    await expect(row.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 })
    await expect(history.getByRole('row')).toHaveCount(listed + 2)

    await page.getByRole('combobox', { name: 'Service' }).selectOption('notifications')
    await page.getByRole('combobox', { name: 'State' }).selectOption('succeeded')
    await expect(row).toBeVisible()
    for (const cell of await history.locator('tbody tr td:nth-child(2)').allTextContents())
      expect(cell).toBe('notifications')
    await page.getByRole('combobox', { name: 'State' }).selectOption('failed')
    await expect(row).toBeHidden()
    await page.getByRole('combobox', { name: 'State' }).selectOption('')

    await row.getByRole('button', { name: `Open run ${run.id}` }).click()
    const detail = page.getByRole('complementary', { name: 'Run detail' })
    const log = detail.getByRole('log')
    await expect(log).toContainText('<b>200 OK</b> &amp; fast')
    await expect(log.locator('b')).toHaveCount(0)
    await expect(log).not.toContainText('\u001b')
    await page.screenshot({ path: screenshotPath('deploys.png'), fullPage: true })
  })

  test('aborts a running deploy from its detail', async ({ page }) => {
    const matrix = await host.call('environments.matrix', {})
    const dev = matrix.cells.find((c) => c.service === 'catalog' && c.environment === 'dev')
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Deploys' }).click()
    // Jenkins' simulated deploy takes 4 s: time enough to abort it.
    const run = await host.call('deploys.start', {
      service: 'catalog',
      environment: 'qa',
      target: dev?.probe.sha ?? 'master',
    })
    await page
      .getByTestId(`run-${run.id}`)
      .getByRole('button', { name: `Open run ${run.id}` })
      .click()
    const detail = page.getByRole('complementary', { name: 'Run detail' })
    // Abort asks first; the confirmation sends it.
    await detail.getByRole('button', { name: 'Abort' }).click()
    const ask = page.getByRole('dialog', { name: 'Abort this deploy?' })
    await expect(ask).toContainText('is asked to stop deploying')
    await ask.getByRole('button', { name: 'Abort the deploy' }).click()
    await expect(detail.getByTestId('run-state')).toHaveAttribute('data-state', 'aborted', { timeout: 30_000 })
    await expect(page.getByTestId(`run-${run.id}`).getByTestId('run-state')).toHaveAttribute('data-state', 'aborted')
    await expect(detail.getByRole('button', { name: 'Abort' })).toBeHidden()
  })
})
