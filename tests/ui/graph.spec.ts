import { expect, test } from '@playwright/test'
import { startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

test.describe('the branch graph of the demo', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host.stop()
  })

  test('draws lanes, labels and pins, and shows a commit when clicked', async ({ page }) => {
    test.setTimeout(180_000)
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Graph' }).click()
    await expect(page.getByRole('heading', { name: 'Graph' })).toBeVisible()
    // The clone is made in the background after the demo opens; the first page waits for it.
    const commits = page.getByRole('listbox', { name: 'Commits' })
    await expect(commits.getByRole('option').first()).toBeAttached({ timeout: 120_000 })
    await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-drawn', /[1-9]/)
    const painted = await page.getByTestId('graph-canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data =
        canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray()
      const colours = new Set<number>()
      for (let i = 0; i < data.length; i += 4 * 97)
        colours.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0))
      return colours.size
    })
    expect(painted).toBeGreaterThan(8)
    await expect(commits.getByRole('option', { name: /· master\b/ })).toBeAttached()
    await expect(commits.getByRole('option', { name: /· us-release\b/ }).first()).toBeAttached({ timeout: 30_000 })
    await expect(commits.getByRole('option', { name: /deployed to / }).first()).toBeAttached({ timeout: 30_000 })

    const tip = commits.getByRole('option', { name: /· master\b/ })
    await tip.click()
    const details = page.getByRole('complementary', { name: 'Commit details' })
    await expect(details).toBeVisible()
    await expect(details.getByRole('heading', { level: 3, name: 'Branches with this commit' })).toBeVisible()
    await expect(details).toContainText('master')
    await page.keyboard.press('ArrowDown')
    await expect(commits.getByRole('option', { selected: true })).not.toHaveAccessibleName(
      (await tip.getAttribute('aria-label')) ?? '',
    )
    await page.screenshot({ path: screenshotPath('graph.png') })
    const lightFrame = await page.getByTestId('graph-canvas').screenshot()
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'))
    await expect.poll(async () => (await page.getByTestId('graph-canvas').screenshot()).equals(lightFrame)).toBe(false)
    await page.screenshot({ path: screenshotPath('graph-dark.png') })
  })
})
