import { expect, test } from '@playwright/test'
import { brokenProbeWorkspace, demoCherryPick, demoCommit, startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

test.describe('the matrix of what runs where', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('shows every service per environment, with drift and the hotfix warning', async ({ page }) => {
    await page.goto(host.url)
    const table = page.getByRole('grid', { name: 'What runs where' })
    for (const service of ['billing', 'checkout', 'catalog', 'notifications']) {
      await expect(table.getByRole('rowheader', { name: service })).toBeVisible()
    }
    // Shared environments once, then production per region.
    await expect(table.getByRole('columnheader')).toContainText([
      'Service',
      'All regions',
      'United Kingdom',
      'United States',
      'dev',
      'qa',
      'staging',
      'production-uk',
      'production-us',
    ])
    const warning = page.getByTestId('warning-billing-production-us')
    await expect(warning).toContainText('runs 1 commit that staging does not have')
    const cell = page.getByTestId('cell-billing-production-us')
    // production-us runs the hotfix: the cherry-pick of master's fix on us-release.
    const hotfix = demoCherryPick('billing', demoCommit('billing', 'Fix refund'))
    await expect(cell).toContainText(hotfix)
    await expect(cell.getByTitle('1 commit staging does not have')).toHaveText('+1')
    await expect(cell).toContainText(/deployed .* ago by rosa/)
    await expect(page.getByTestId('cell-billing-qa').getByTitle('3 commits behind dev')).toHaveText('−3')
    await page.screenshot({ path: screenshotPath('matrix.png'), fullPage: true })
  })

  test('compares two cells, both directions, cherry-picks marked', async ({ page }) => {
    await page.goto(host.url)
    await page.getByTestId('cell-billing-staging').click({ position: { x: 60, y: 60 } })
    const cell = page.getByRole('dialog', { name: 'billing in staging' })
    await cell.getByRole('combobox', { name: 'Compare with' }).selectOption('production-us')
    await cell.getByRole('button', { name: 'Compare', exact: true }).click()
    const compare = page.getByRole('complementary', { name: 'Compare' })
    const fix = demoCommit('billing', 'Fix refund')
    const hotfix = demoCherryPick('billing', fix)
    const matrix = await host.call('environments.matrix', {})
    const staging =
      matrix.cells.find((c) => c.service === 'billing' && c.environment === 'staging')?.shortSha ?? 'missing'
    const shipped = compare.getByRole('region', { name: `In production-us ${hotfix}, not in staging ${staging}` })
    await expect(shipped).toContainText('Fix refund rounding in multi-currency carts')
    await expect(shipped).toContainText(`cherry-pick of ${fix}`)
    await expect(shipped).toContainText('Ben Hughes')
    const missing = compare.getByRole('region', { name: `In staging ${staging}, not in production-us ${hotfix}` })
    await expect(missing).toContainText('#183')
    // Staging does not have master's fix yet: nothing is marked as already there.
    await expect(compare.getByTestId('already-as')).toHaveCount(0)
    await compare.getByRole('button', { name: 'Close compare' }).click()
    await expect(compare).toBeHidden()
  })

  test('compares a cell with a branch, marking the change each side already has as a cherry-pick', async ({ page }) => {
    await page.goto(host.url)
    await page.getByTestId('cell-billing-production-us').click({ position: { x: 60, y: 60 } })
    const cell = page.getByRole('dialog', { name: 'billing in production-us' })
    await cell.getByRole('combobox', { name: 'Compare with' }).selectOption('*')
    await cell.getByRole('button', { name: 'Compare', exact: true }).click()
    const compare = page.getByRole('complementary', { name: 'Compare' })
    await compare.getByRole('textbox', { name: 'Compare with' }).fill('master')
    await compare.getByRole('button', { name: 'Compare', exact: true }).click()
    const fix = demoCommit('billing', 'Fix refund')
    const hotfix = demoCherryPick('billing', fix)
    const comparison = await host.call('environments.compare', { service: 'billing', from: hotfix, to: 'master' })
    const master = `master ${comparison.to.sha.slice(0, 7)}`
    // Moving production-us to master brings the fix in name only; the hotfix it would drop is on master anyway.
    const brings = compare.getByRole('region', { name: `In ${master}, not in production-us ${hotfix}` })
    await expect(brings.getByTestId('already-as')).toHaveText(`already in production-us ${hotfix} as ${hotfix}`)
    const drops = compare.getByRole('region', { name: `In production-us ${hotfix}, not in ${master}` })
    await expect(drops.getByTestId('already-as')).toHaveText(`already in ${master} as ${fix}`)
  })

  test('a probe that cannot be reached shows its error in its own cells only', async ({ page }) => {
    await host.call('workspace.open', { file: brokenProbeWorkspace('production-uk') })
    await page.goto(host.url)
    await expect(page.getByRole('grid', { name: 'What runs where' })).toBeVisible()
    // The probe cache still holds the last good reads: Refresh reads every environment again.
    await page.getByRole('button', { name: 'Refresh' }).click()
    const broken = page.getByTestId('cell-billing-production-uk')
    await expect(broken.getByRole('alert')).toContainText('endpoint-unreachable')
    await expect(page.getByTestId('cell-checkout-production-uk').getByRole('alert')).toBeVisible()
    await expect(page.getByTestId('cell-billing-production-us')).toContainText(
      demoCherryPick('billing', demoCommit('billing', 'Fix refund')),
    )
    await expect(page.getByTestId('cell-billing-staging').getByRole('alert')).toHaveCount(0)
  })
})
