import { expect, test } from '@playwright/test'
import { demoCommit, startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

/**
 * A new user's first minutes with the demo, through every journey: what runs where, where is my commit,
 * promote with the deploy-finished notification, the graph, the train board. Saves the README's screenshots.
 */
test.describe('the demo, end to end', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('matrix → where is my commit → promote → notification → graph → train board', async ({ page }) => {
    test.setTimeout(180_000)
    await page.goto(host.url)

    // What runs where: the matrix with drift and the hotfix warning.
    const matrix = page.getByRole('grid', { name: 'What runs where' })
    await expect(matrix).toBeVisible()
    await expect(page.getByTestId('cell-billing-production-us')).toContainText(/\+1/)
    await page.screenshot({ path: screenshotPath('1-environments.png') })

    // Where is my commit: the fix reached the US only as a cherry-pick on us-release.
    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Where is my commit?' })
    await palette.getByRole('textbox', { name: 'SHA, #PR or branch' }).fill(demoCommit('billing', 'Fix refund'))
    await page.keyboard.press('Enter')
    await expect(palette.getByTestId('where-billing-production-us')).toContainText('deployed as cherry-pick')
    await expect(palette.getByTestId('where-billing-production-uk')).toContainText('not deployed')
    await page.screenshot({ path: screenshotPath('2-where-is-my-commit.png') })
    await page.keyboard.press('Escape')
    await expect(palette).toBeHidden()

    // Promote catalog to qa: preview, confirm, live log, result, and the notification the core recorded.
    const notices: unknown[] = []
    const stop = await page.evaluate(() => {
      const source = new EventSource('api/events')
      const seen: unknown[] = []
      source.addEventListener('notifications.shown', (e) => seen.push(JSON.parse((e as MessageEvent<string>).data)))
      ;(globalThis as unknown as { __notices: unknown[] }).__notices = seen
      return true
    })
    expect(stop).toBe(true)
    await page.getByRole('button', { name: 'Promote catalog to qa' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote catalog to qa' })
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await expect(dialog.getByTestId('preview-kind')).toBeVisible()
    await dialog.getByRole('button', { name: 'Deploy' }).click()
    await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 })
    await expect(page.getByTestId('toast').filter({ hasText: 'Deployed catalog → qa' })).toBeVisible()
    await expect
      .poll(async () =>
        notices.concat(await page.evaluate(() => (globalThis as unknown as { __notices: unknown[] }).__notices)),
      )
      .toContainEqual(expect.objectContaining({ title: 'Deployed catalog → qa', kind: 'succeeded' }))
    await page.screenshot({ path: screenshotPath('3-promote.png') })
    await dialog.getByRole('button', { name: 'Done' }).click()

    // The graph: lanes, branch labels, environment pins, the cherry-pick link.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Graph' }).click()
    const commits = page.getByRole('listbox', { name: 'Commits' })
    await expect(commits.getByRole('option', { name: /· us-release\b/ }).first()).toBeAttached({ timeout: 60_000 })
    await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-drawn', /[1-9]/)
    await page.screenshot({ path: screenshotPath('4-graph.png') })

    // The train board: the UK on the newest train, the US a seasoned train behind, the hotfix tracked.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Trains' }).click()
    await expect(page.getByRole('article', { name: 'Region United Kingdom' })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Hotfix branches' })).toContainText('us-release')
    await page.screenshot({ path: screenshotPath('5-trains.png') })

    // The deploy history has the run.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Deploys' }).click()
    await expect(page.getByRole('table').first()).toContainText('catalog')
    await page.screenshot({ path: screenshotPath('6-deploys.png') })
  })
})
