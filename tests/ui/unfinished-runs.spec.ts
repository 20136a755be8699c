import { expect, test } from '@playwright/test'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCuttingProxy } from './support/cutting-proxy'
import {
  demoDir,
  demoEndpointUrl,
  demoGit,
  putBack,
  rewrittenEndpointWorkspace,
  startDemoHost,
  type DemoHost,
} from './support/demo'
import { startHost } from './support/web-host'

test.describe('runs that do not simply succeed', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    // The first host of a run makes the demo and its clones: slow on a busy machine.
    test.setTimeout(180_000)
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('a rollback ends with a toast and a badge that say "rolled back"', async ({ page }) => {
    const matrix = await host.call('environments.matrix', {})
    const dev = matrix.cells.find((c) => c.service === 'notifications' && c.environment === 'dev')?.probe.sha ?? ''
    const older = demoGit('notifications', 'rev-parse', '--short=7', `${dev}^1`)
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    await page.getByRole('button', { name: 'Promote notifications to dev' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote notifications to dev' })
    await dialog.getByRole('textbox', { name: 'SHA to deploy' }).fill(older)
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await dialog.getByRole('checkbox', { name: /Roll back dev on purpose/ }).check()
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('notification emails doubled')
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click()
    await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 })
    await expect(dialog.getByTestId('run-state')).toHaveText('rolled back')
    await expect(page.getByTestId('toast').filter({ hasText: 'Rolled back notifications → dev' })).toBeVisible()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Deploys' }).click()
    const newest = page.getByRole('table', { name: 'Deploy history' }).getByRole('row').nth(1)
    await expect(newest.getByTestId('run-state')).toHaveText('rolled back')

    await putBack(host, 'notifications', 'dev', dev)
  })

  test('a run whose trigger answer was lost is "unknown" and says why: dialog, matrix cell, Deploys', async ({
    page,
  }) => {
    // Jenkins handles the trigger, then the answer is lost on the way back.
    const proxy = await startCuttingProxy(
      demoEndpointUrl('jenkins'),
      (req) => req.method === 'POST' && (req.url ?? '').includes('/buildWithParameters'),
    )
    await host.call('workspace.open', { file: rewrittenEndpointWorkspace('jenkins', proxy.url) })
    try {
      const matrix = await host.call('environments.matrix', {})
      const dev = matrix.cells.find((c) => c.service === 'catalog' && c.environment === 'dev')?.probe.sha ?? ''
      await page.goto(host.url)
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
      await page.getByRole('button', { name: 'Promote catalog to dev' }).click()
      const dialog = page.getByRole('dialog', { name: 'Promote catalog to dev' })
      await dialog.getByRole('textbox', { name: 'SHA to deploy' }).fill(dev.slice(0, 7))
      await dialog.getByRole('button', { name: 'Preview' }).click()
      await dialog.getByRole('button', { name: 'Deploy' }).click()
      await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'unknown', { timeout: 30_000 })
      expect(proxy.cut).toHaveLength(1)
      await expect(dialog.getByTestId('run-why')).toContainText('could not confirm')
      await expect(dialog.getByTestId('run-why')).toContainText('no clear answer from the provider')
      await dialog.getByRole('button', { name: 'Done' }).click()

      await expect(page.getByTestId('cell-catalog-dev').getByTestId('last-run')).toContainText('last deploy unknown')
      await expect(page.getByTestId('cell-catalog-dev').getByTestId('last-run')).toContainText(
        'no clear answer from the provider',
      )

      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Deploys' }).click()
      const row = page.getByRole('table', { name: 'Deploy history' }).getByRole('row').nth(1)
      await expect(row).toContainText('no clear answer from the provider')
      await row.getByRole('button', { name: /^Open run/ }).click()
      const detail = page.getByRole('complementary', { name: 'Run detail' })
      await expect(detail.getByTestId('run-why')).toContainText('could not confirm')
      // Settled by hand: it ran (the tool handled the trigger), so nothing stays blocked for the other specs.
      await detail.getByRole('textbox', { name: 'Note' }).fill('Jenkins shows the build finished')
      await detail.getByRole('button', { name: 'Succeeded' }).click()
      await expect(detail.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded')
    } finally {
      await host.call('workspace.open', { file: join(demoDir, 'trainyard.yaml') })
      await host.call('environments.matrix', { refresh: true })
      await proxy.close()
    }
  })

  test('a promote dialog whose host went away says so', async ({ page }) => {
    test.setTimeout(180_000)
    // A host of its own (over a copy of the demo's origins) that this test can stop.
    const copy = mkdtempSync(join(tmpdir(), 'trainyard-ui-gone-'))
    cpSync(join(demoDir, 'origin'), join(copy, 'origin'), { recursive: true })
    cpSync(join(demoDir, 'facts.json'), join(copy, 'facts.json'))
    const own = await startHost(['--demo'], { TRAINYARD_DEMO_DIR: copy })
    try {
      await page.goto(own.url)
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
      const cell = page.getByTestId('cell-billing-qa')
      await expect(cell.locator('.sha')).toBeVisible({ timeout: 120_000 })
      await page.getByRole('button', { name: 'Promote billing to qa' }).click()
      const dialog = page.getByRole('dialog', { name: 'Promote billing to qa' })
      await dialog.getByRole('button', { name: 'Preview' }).click()
      await dialog.getByRole('button', { name: 'Deploy' }).click()
      await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', /queued|running|triggering/)
      await own.stop()
      await expect(dialog.getByTestId('host-gone')).toContainText('host stopped answering')
    } finally {
      await own.stop()
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
