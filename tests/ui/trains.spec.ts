import { expect, test } from '@playwright/test'
import { startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

test.describe('the Trains view', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('shows each region, its seasoning and dry run, the trains and the hotfix branch', async ({ page }) => {
    const board = await host.call('trains.board', {})
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Trains' }).click()

    for (const region of board.regions) {
      const card = page.getByRole('article', { name: `Region ${region.label}` })
      await expect(card).toContainText(region.dryRun.summary)
      if (region.current) await expect(card).toContainText(region.current.name)
      if (region.seasoning && !region.seasoning.done) {
        await expect(card.getByRole('progressbar', { name: 'Seasoning' })).toBeVisible()
        await expect(card).toContainText(/\d+ d \d+ h left/)
      }
    }
    const timeline = page.getByRole('list', { name: 'Trains' })
    await expect(timeline.getByRole('listitem')).toHaveCount(board.trains.length)

    // The demo's billing runs a cherry-picked fix on us-release in the US.
    const hotfix = board.hotfixes.find((h) => h.service === 'billing' && h.branch === 'us-release')
    expect(hotfix?.deployedIn).toContain('production-us')
    const panel = page.getByRole('region', { name: 'Hotfix branches' })
    await expect(panel).toContainText('us-release')
    await expect(panel).toContainText(hotfix?.fixes[0]?.subject ?? 'no fix')
    await expect(panel).toContainText('Deployed in production-us')
    for (const w of board.warnings) await expect(panel).toContainText(w.message)
    await expect(page.getByRole('region', { name: 'Hotfix flow' })).toBeVisible()
    await page.screenshot({ path: screenshotPath('trains.png'), fullPage: true })
  })

  test('promotes the first region’s next train step by step with live progress and its outcome', async ({ page }) => {
    test.setTimeout(120_000)
    const board = await host.call('trains.board', {})
    const first = board.regions[0]
    test.skip(
      first?.next === undefined || first.dryRun.steps.length === 0,
      'the demo’s first region has nothing to take',
    )
    if (first?.next === undefined) return
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Trains' }).click()
    const card = page.getByRole('article', { name: `Region ${first.label}` })
    await card.getByRole('button', { name: `Promote ${first.next.name} to ${first.label}` }).click()
    const dialog = page.getByRole('dialog', { name: `Promote ${first.next.name} to ${first.label}` })
    const steps = first.dryRun.steps.length
    await expect(dialog.getByRole('list').first().getByRole('listitem')).toHaveCount(steps)
    await dialog.getByRole('button', { name: `Promote ${steps} step${steps === 1 ? '' : 's'}` }).click()
    await expect(dialog.getByRole('list', { name: 'Progress' })).toContainText('starting')
    // Each run either succeeds (the train is then live and seasoning) or the promotion stops there and says why.
    const status = dialog.getByRole('status')
    await expect(status).toContainText(
      new RegExp(`${first.next.name} promoted: ${steps} run|Stopped at \\w+ → [\\w-]+: `),
      { timeout: 90_000 },
    )
    const promoted = (await status.textContent())?.includes('promoted') === true
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(dialog).toBeHidden()
    if (promoted) {
      await expect(card).toContainText(`Runs${first.next.name}`, { timeout: 20_000 })
      await expect(card.getByRole('progressbar', { name: 'Seasoning' })).toBeVisible()
      await expect(card).toContainText(/6 d 2\d h left/)
    }
    const runs = await host.call('deploys.list', { limit: 50 })
    expect(
      runs.some(
        (r) => r.service === first.dryRun.steps[0]?.service && r.environment === first.dryRun.steps[0]?.environment,
      ),
    ).toBe(true)
  })

  test('the hotfix flow dry-runs a pick from master and reports it without writing', async ({ page }) => {
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Trains' }).click()
    const flow = page.getByRole('region', { name: 'Hotfix flow' })
    await flow.getByRole('combobox', { name: 'Service' }).selectOption('billing')
    await flow.getByRole('combobox', { name: 'Region' }).selectOption('us')
    await flow.getByRole('button', { name: /Create us-release/ }).click()
    // The branch exists already at another tip (the pushed fix): the flow says so rather than moving it.
    const board = await host.call('trains.board', {})
    const tip = board.hotfixes.find((h) => h.branch === 'us-release')?.tip ?? ''
    await expect(flow.getByRole('alert')).toContainText(/already exists|us-release/)
    await flow.getByRole('textbox', { name: 'Commits from master' }).fill(tip.slice(0, 10))
    await flow.getByRole('button', { name: '2. Dry run' }).click()
    await expect(flow.getByRole('alert').or(flow.getByRole('list', { name: 'Picks' }))).toBeVisible()
    const after = await host.call('trains.board', {})
    expect(after.hotfixes.find((h) => h.branch === 'us-release')?.tip).toBe(tip)
  })
})
