import { expect, test } from '@playwright/test'
import { demoCherryPick, demoCommit, startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

test.describe('where is my commit', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('finds the fix as a cherry-pick in production-us, from the keyboard', async ({ page }) => {
    await page.goto(host.url)
    await expect(page.getByRole('grid', { name: 'What runs where' })).toBeVisible()
    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Where is my commit?' })
    await expect(palette).toBeVisible()
    const input = palette.getByRole('textbox', { name: 'SHA, #PR or branch' })
    await expect(input).toBeFocused()
    const fix = demoCommit('billing', 'Fix refund')
    await input.fill(fix)
    await input.press('Enter')
    await expect(palette.getByTestId('where-billing-production-us')).toContainText(
      `deployed as cherry-pick ${demoCherryPick('billing', fix)}`,
    )
    await expect(palette.getByTestId('where-billing-dev')).toContainText('deployed')
    await expect(palette.getByTestId('where-billing-staging')).toContainText('not deployed')
    await expect(palette).toContainText('Fix refund rounding in multi-currency carts')
    await page.screenshot({ path: screenshotPath('palette.png') })
    // Focus stays in the palette: Tab cycles through its own controls.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab')
    expect(await palette.evaluate((el) => el.contains(document.activeElement))).toBe(true)
    await page.keyboard.press('Escape')
    await expect(palette).toBeHidden()
  })

  test('opens from the header button and says when nothing matches', async ({ page }) => {
    await page.goto(host.url)
    await page.getByRole('button', { name: /Where is my commit/ }).click()
    const palette = page.getByRole('dialog', { name: 'Where is my commit?' })
    await palette.getByRole('textbox', { name: 'SHA, #PR or branch' }).fill('no-such-branch-anywhere')
    await palette.getByRole('button', { name: 'Find' }).click()
    await expect(palette.getByRole('alert').or(palette.getByText(/No service knows/))).toBeVisible()
  })
})
