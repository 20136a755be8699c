import { expect, test, type Locator, type Page } from '@playwright/test'
import { demoGit, putBack, startDemoHost, type DemoHost } from './support/demo'

/** Opens the graph of `service` and waits until its rows are drawn. */
async function openGraph(page: Page, host: DemoHost, service = 'billing'): Promise<Locator> {
  await page.goto(host.url)
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Graph' }).click()
  await page.getByRole('combobox', { name: 'Service' }).selectOption(service)
  const commits = page.getByRole('listbox', { name: 'Commits' })
  await expect(commits.getByRole('option').first()).toBeAttached({ timeout: 60_000 })
  await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-drawn', /[1-9]/)
  return commits
}

/** The row of a commit (by its short SHA, via the jump box, which also selects it). */
async function jumpTo(page: Page, commits: Locator, short: string): Promise<Locator> {
  await page.getByRole('textbox', { name: 'Jump to a commit' }).fill(short)
  await page.getByRole('button', { name: 'Go' }).click()
  const row = commits.getByRole('option', { selected: true })
  await expect(row).toHaveAttribute('data-sha', new RegExp(`^${short}`))
  return row
}

/** Starts dragging `source` and moves over `target` without dropping (HTML5 drag and drop, as a mouse does it). */
async function dragOver(page: Page, source: Locator, target: Locator): Promise<void> {
  await source.hover({ position: { x: 40, y: 5 } })
  await page.mouse.down()
  await target.hover()
  await target.hover({ position: { x: 6, y: 6 } })
}

test.describe('acting on a commit from the graph', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    // The first host of a run makes the demo and its clones: slow on a busy machine.
    test.setTimeout(180_000)
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('"Promote to…" opens the promote dialog: preview, deploy, live log, result', async ({ page }) => {
    const commits = await openGraph(page, host)
    const matrix = await host.call('environments.matrix', {})
    const dev = matrix.cells.find((c) => c.service === 'billing' && c.environment === 'dev')
    const qa = matrix.cells.find((c) => c.service === 'billing' && c.environment === 'qa')?.probe.sha ?? 'missing'
    const short = dev?.shortSha ?? 'missing'
    await jumpTo(page, commits, short)
    const details = page.getByRole('complementary', { name: 'Commit details' })
    await details.getByRole('combobox', { name: 'Environment to promote to' }).selectOption('qa')
    await details.getByRole('button', { name: 'Promote to…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote billing to qa' })
    await expect(dialog.getByTestId('preview-kind')).toHaveText(/Forward|Redeploy/)
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText(short)
    await dialog.getByRole('button', { name: 'Deploy' }).click()
    await expect(dialog.getByRole('log', { name: 'Deploy log' })).toContainText('Installing release')
    await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 })
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(dialog).toBeHidden()
    // Nothing of the old raw JSON output is left on the page.
    await expect(page.locator('pre.result')).toHaveCount(0)
    await putBack(host, 'billing', 'qa', qa)
  })

  test('Home and End go to the newest and the oldest commit; the jump box finds a branch or #PR', async ({ page }) => {
    const commits = await openGraph(page, host)
    const total = Number(demoGit('billing', 'rev-list', '--all', '--count'))
    await commits.focus()
    await page.keyboard.press('End')
    await expect(commits).toHaveAttribute('aria-activedescendant', `graph-row-${total - 1}`)
    await expect(commits.getByRole('option', { selected: true })).toHaveAttribute(
      'data-sha',
      demoGit('billing', 'rev-list', '--all', '--max-parents=0'),
    )
    await page.keyboard.press('Home')
    await expect(commits).toHaveAttribute('aria-activedescendant', 'graph-row-0')
    await page.getByRole('textbox', { name: 'Jump to a commit' }).fill('us-release')
    await page.getByRole('button', { name: 'Go' }).click()
    await expect(commits.getByRole('option', { selected: true })).toHaveAttribute(
      'data-sha',
      demoGit('billing', 'rev-parse', 'us-release'),
    )
    await page.getByRole('textbox', { name: 'Jump to a commit' }).fill('#186')
    await page.getByRole('button', { name: 'Go' }).click()
    await expect(commits.getByRole('option', { selected: true })).toHaveAttribute(
      'data-sha',
      demoGit('billing', 'log', '--grep', 'Merge pull request #186 ', '-1', '--format=%H', 'master'),
    )
  })

  test('dragging a commit shows forward, rollback or refused on each environment before the drop', async ({ page }) => {
    const commits = await openGraph(page, host)
    const matrix = await host.call('environments.matrix', {})
    const cell = (env: string) => matrix.cells.find((c) => c.service === 'billing' && c.environment === env)
    // What staging runs is older than what qa runs (a rollback there), newer than nothing in production-uk
    // (it runs the same), and master's tip has never succeeded in staging (production-uk refuses it).
    const tip = demoGit('billing', 'rev-parse', '--short=7', 'master')
    const tipRow = await jumpTo(page, commits, tip)
    await dragOver(page, tipRow, page.getByTestId('drop-staging'))
    await expect(page.getByTestId('drop-staging')).toHaveAttribute('data-verdict', 'forward')
    await expect(page.getByTestId('drop-staging')).toContainText('Forward to staging')
    // Every environment shows its verdict during the drag, not only the one under the pointer.
    await expect(page.getByTestId('drop-production-uk')).toHaveAttribute('data-verdict', 'refused')
    await expect(page.getByTestId('drop-production-uk')).toContainText('Refused in production-uk')
    await page.getByTestId('drop-production-uk').hover()
    await page.getByTestId('drop-production-uk').hover({ position: { x: 6, y: 6 } })
    await expect(page.getByTestId('drop-production-uk').getByRole('status')).toContainText(/staging/)
    // A refused target takes no drop: nothing opens.
    await page.mouse.up()
    await expect(page.getByRole('dialog')).toHaveCount(0)

    const older = await jumpTo(page, commits, cell('staging')?.shortSha ?? 'missing')
    await dragOver(page, older, page.getByTestId('drop-qa'))
    await expect(page.getByTestId('drop-qa')).toHaveAttribute('data-verdict', 'rollback')
    await expect(page.getByTestId('drop-qa')).toContainText('Rollback to qa')
    await page.mouse.up()
    const dialog = page.getByRole('dialog', { name: 'Promote billing to qa' })
    await expect(dialog.getByTestId('preview-kind')).toHaveText('Rollback')
    await expect(dialog.getByRole('button', { name: 'Roll back', exact: true })).toBeDisabled()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()

    // The pins drawn in the graph take drops too: the commit staging runs, onto the "qa" pin of its row.
    const pin = page.getByTestId('pin-qa')
    await expect(pin).toBeAttached()
    await dragOver(page, older, pin)
    await expect(pin).toHaveAttribute('data-verdict', 'rollback')
    await page.mouse.up()
    await expect(page.getByRole('dialog', { name: 'Promote billing to qa' })).toBeVisible()
    await page.keyboard.press('Escape')
  })

  test('"Cherry-pick onto…" and a drop on a hotfix branch open the hotfix flow with the commit', async ({ page }) => {
    const commits = await openGraph(page, host)
    // A commit of a pull request (not its merge, which cannot be picked as it is).
    const fix = demoGit('billing', 'log', '--no-merges', '--grep', 'Speed up search', '-1', '--format=%h', 'master')
    await jumpTo(page, commits, fix)
    const details = page.getByRole('complementary', { name: 'Commit details' })
    await details.getByRole('combobox', { name: 'Hotfix branch to cherry-pick onto' }).selectOption('us')
    await details.getByRole('button', { name: 'Cherry-pick onto…' }).click()
    let dialog = page.getByRole('dialog', { name: `Cherry-pick ${fix.slice(0, 7)} onto us-release` })
    const flow = dialog.getByRole('region', { name: 'Hotfix flow' })
    await expect(flow.getByRole('textbox', { name: /Commits from master/ })).toHaveValue(new RegExp(`^${fix}`))
    await flow.getByRole('button', { name: '2. Dry run' }).click()
    // The dry run answers for this very commit: it picks cleanly, or it names the conflict (nothing written).
    await expect(flow.getByRole('list', { name: 'Picks' }).or(flow.getByRole('alert'))).toContainText(
      /\(dry run\) Speed up search in jobs|Speed up search in jobs: /,
    )
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()

    await details.getByRole('combobox', { name: 'Region of the hotfix branch' }).selectOption('uk')
    await details.getByRole('button', { name: 'Create hotfix branch here' }).click()
    dialog = page.getByRole('dialog', { name: `Create uk-release at ${fix.slice(0, 7)}` })
    await expect(dialog.getByRole('button', { name: '1. Open uk-release' })).toBeVisible()
    await page.keyboard.press('Escape')

    // The lane label of us-release is a drop target for a cherry-pick; master's is not.
    const row = await jumpTo(page, commits, fix)
    const master = page.getByTestId('lane-master')
    await dragOver(page, row, master)
    await expect(master).toHaveAttribute('data-verdict', 'refused')
    await page.mouse.up()
    const usRelease = page.getByTestId('lane-us-release')
    await expect(usRelease).toBeAttached()
    await dragOver(page, row, usRelease)
    await expect(usRelease).toHaveAttribute('data-verdict', 'pick')
    await page.mouse.up()
    await expect(page.getByRole('dialog', { name: `Cherry-pick ${fix.slice(0, 7)} onto us-release` })).toBeVisible()
  })
})
