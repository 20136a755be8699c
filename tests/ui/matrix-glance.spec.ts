import { expect, test, type Locator } from '@playwright/test'
import type { Matrix } from '../../src/shared/models/environments'
import { readableSubject } from '../../src/renderer/src/lib/readable-subject'
import { demoDir, putBack, rewrittenProbeWorkspace, startDemoHost, type DemoHost } from './support/demo'

/** Whether two boxes overlap. */
function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

async function box(locator: Locator) {
  const found = await locator.boundingBox()
  if (!found) throw new Error('not on screen')
  return found
}

test.describe('the matrix at a glance', () => {
  let host: DemoHost
  let matrix: Matrix
  const cellOf = (service: string, env: string) =>
    matrix.cells.find((c) => c.service === service && c.environment === env)
  test.beforeAll(async () => {
    // The first host of a run makes the demo and its clones: slow on a busy machine.
    test.setTimeout(180_000)
    host = await startDemoHost()
  })
  test.beforeEach(async () => {
    matrix = await host.call('environments.matrix', {})
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('a cell shows the subject, commit and deploy ages, its train, and a last deploy that failed', async ({
    page,
  }) => {
    const board = await host.call('trains.board', {})
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    const qa = page.getByTestId('cell-billing-qa')
    // The subject is on the cell, not only in a tooltip.
    await expect(qa).toContainText(readableSubject(cellOf('billing', 'qa')?.subject ?? 'missing'))
    await expect(qa).toContainText(/committed (\d+ (min|h|d) ago|just now)/)
    await expect(qa).toContainText(/deployed (\d+ (min|h|d) ago|just now) by \S+/)
    // Production cells name the train they run, as the trains board places them.
    for (const region of board.regions) {
      for (const trainCell of region.cells) {
        if (!trainCell.train) continue
        await expect(page.getByTestId(`cell-${trainCell.service}-${trainCell.environment}`)).toContainText(
          `train ${trainCell.train.name}`,
        )
      }
    }
    // The demo's checkout has a failed staging deploy after what staging runs.
    const failed = (await host.call('deploys.list', { service: 'checkout', environment: 'staging' }))[0]
    expect(failed?.state).toBe('failed')
    await expect(page.getByTestId('cell-checkout-staging').getByTestId('last-run')).toContainText(
      `last deploy failed: ${failed?.sha.slice(0, 7) ?? 'missing'}`,
    )
  })

  test('Promote… is on every cell and column at 1024 px, clear of the badges; the SHA copies whole', async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    const table = page.getByRole('grid', { name: 'What runs where' })
    await expect(table).toBeVisible()
    // The whole matrix fits: nothing hides behind a horizontal scroll.
    const scroller = table.locator('xpath=..')
    expect(await scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    for (const env of matrix.environments)
      await expect(table.getByRole('button', { name: `Promote every service to ${env}` })).toBeInViewport()
    for (const cell of matrix.cells) {
      const td = page.getByTestId(`cell-${cell.service}-${cell.environment}`)
      const promote = td.getByRole('button', { name: `Promote ${cell.service} to ${cell.environment}` })
      await promote.scrollIntoViewIfNeeded()
      await expect(promote).toBeVisible()
      const promoteBox = await box(promote)
      const cellBox = await box(td)
      expect(promoteBox.x + promoteBox.width).toBeLessThanOrEqual(cellBox.x + cellBox.width)
      for (const badge of await td.locator('.badge').all()) expect(overlaps(promoteBox, await box(badge))).toBe(false)
    }

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin })
    const staging = cellOf('billing', 'staging')
    await page
      .getByTestId('cell-billing-staging')
      .getByRole('button', { name: `Copy ${staging?.probe.sha}` })
      .click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(staging?.probe.sha)
    // Selecting the SHA by hand copies all forty characters too, though seven show.
    await page.getByTestId('cell-billing-staging').locator('.sha').click()
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(staging?.probe.sha)
    await expect(page.getByRole('dialog')).toHaveCount(0)
  })

  test('a click opens the cell: what runs, its deploy history and actions; compare is one of them', async ({
    page,
  }) => {
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    await page.getByTestId('cell-billing-production-us').click({ position: { x: 60, y: 60 } })
    const dialog = page.getByRole('dialog', { name: 'billing in production-us' })
    const prod = cellOf('billing', 'production-us')
    await expect(dialog).toContainText(prod?.probe.sha ?? 'missing')
    await expect(dialog).toContainText(prod?.subject ?? 'missing')
    const history = await host.call('deploys.list', { service: 'billing', environment: 'production-us', limit: 10 })
    await expect(dialog.getByRole('region', { name: 'Deploy history' }).getByRole('row')).toHaveCount(history.length)
    // Focus starts on the main action, never on ✕.
    await expect(dialog.getByRole('button', { name: 'Promote…' })).toBeFocused()
    await dialog.getByRole('combobox', { name: 'Compare with' }).selectOption('staging')
    await dialog.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect(dialog).toBeHidden()
    const compare = page.getByRole('complementary', { name: 'Compare' })
    await expect(compare).toContainText('Fix refund rounding in multi-currency carts')
    await compare.getByRole('button', { name: 'Close compare' }).click()

    // From the cell straight to a promote of it.
    await page.getByTestId('cell-catalog-qa').click({ position: { x: 60, y: 60 } })
    await page.getByRole('dialog', { name: 'catalog in qa' }).getByRole('button', { name: 'Promote…' }).click()
    await expect(page.getByRole('dialog', { name: 'Promote catalog to qa' })).toBeVisible()
  })

  test('the matrix is one Tab stop; arrows move, Enter opens; the promote dialog previews on Enter', async ({
    page,
  }) => {
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    await expect(page.getByRole('grid', { name: 'What runs where' })).toBeVisible()
    // The stop before the matrix: the last region path's promote action.
    await page
      .getByRole('button', { name: /^Promote \S+ → \S+$/ })
      .last()
      .focus()
    await page.keyboard.press('Tab')
    const first = page.getByTestId(`cell-${matrix.services[0]}-dev`)
    await expect(first).toBeFocused()
    // One more Tab leaves the matrix: no stop on each cell or its buttons.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.closest('[role="grid"]') === null)).toBe(true)
    await page.keyboard.press('Shift+Tab')
    await expect(first).toBeFocused()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowDown')
    await expect(page.getByTestId(`cell-${matrix.services[1]}-qa`)).toBeFocused()
    await page.keyboard.press('End')
    const last = matrix.environments[matrix.environments.length - 1] ?? 'missing'
    await expect(page.getByTestId(`cell-${matrix.services[1]}-${last}`)).toBeFocused()
    await page.keyboard.press('Home')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: `${matrix.services[1]} in dev` })
    await expect(dialog).toBeVisible()
    await page.keyboard.press('Enter')
    const promote = page.getByRole('dialog', { name: `Promote ${matrix.services[1]} to dev` })
    const field = promote.getByRole('textbox', { name: 'SHA to deploy' })
    await expect(field).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(promote.getByTestId('preview-kind')).toBeVisible()
  })

  test('Promote… on a column previews the set from the environment before it and deploys the chosen ones', async ({
    page,
  }) => {
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    await page.getByRole('button', { name: 'Promote every service to qa' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote dev → qa' })
    const preview = await host.call('sets.preview', { from: 'dev', to: 'qa' })
    for (const step of preview.steps) {
      const row = dialog.getByTestId(`batch-${step.service}`)
      // Each service gets what dev runs.
      await expect(row).toContainText(cellOf(step.service, 'dev')?.shortSha ?? 'missing')
      await expect(row.getByTestId('set-verdict')).toHaveAttribute('data-verdict', step.verdict)
    }
    expect(preview.steps.find((s) => s.service === 'checkout')?.verdict).toBe('ships')
    for (const step of preview.steps.filter((s) => s.service !== 'checkout' && s.verdict === 'ships'))
      await dialog.getByRole('checkbox', { name: `Promote ${step.service}` }).uncheck()
    await dialog.getByRole('button', { name: 'Promote 1 service' }).click()
    await expect(dialog.getByTestId('batch-checkout').getByTestId('step-state')).toHaveAttribute(
      'data-state',
      'succeeded',
      { timeout: 30_000 },
    )
    await expect(dialog.getByTestId('set-outcome')).toHaveAttribute('data-state', 'succeeded')
    // Only checkout was sent: the others are not in the set, or are in it as skipped, with no run.
    const [set] = await host.call('sets.list', {})
    expect(set?.steps.filter((s) => s.runId !== undefined).map((s) => s.service)).toEqual(['checkout'])
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByTestId('cell-checkout-qa')).toContainText(cellOf('checkout', 'dev')?.shortSha ?? 'missing')
    await putBack(host, 'checkout', 'qa', cellOf('checkout', 'qa')?.probe.sha ?? 'missing')
  })

  test('says when a probe disagrees with the last successful deploy', async ({ page }) => {
    // dev's probe now reads qa's version page: the journal says dev got something else.
    await host.call('workspace.open', { file: rewrittenProbeWorkspace('dev', '{service}/qa/version.json') })
    try {
      await page.goto(host.url)
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
      await page.getByRole('button', { name: 'Refresh' }).click()
      await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled()
      const fresh = await host.call('environments.matrix', {})
      const differing = fresh.cells.filter((c) => c.environment === 'dev' && c.lastDeployedSha)
      expect(differing.length).toBeGreaterThan(0)
      for (const cell of differing) {
        await expect(page.getByTestId(`cell-${cell.service}-dev`)).toContainText(
          `≠ last deploy put ${cell.lastDeployedSha?.slice(0, 7) ?? ''}`,
        )
        await expect(page.getByTestId(`warning-${cell.service}-dev`)).toContainText(
          `the last deploy Trainyard ran put ${cell.lastDeployedSha?.slice(0, 7) ?? ''} there`,
        )
      }
    } finally {
      await host.call('workspace.open', { file: `${demoDir}/trainyard.yaml` })
      // The probe cache is the demo's: read every probe again so later specs do not see dev reading qa's page.
      await host.call('environments.matrix', { refresh: true })
    }
  })
})
