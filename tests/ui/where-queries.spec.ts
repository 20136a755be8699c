import { expect, test, type Page } from '@playwright/test'
import { demoGit, startDemoHost, type DemoHost } from './support/demo'

async function ask(page: Page, query: string) {
  // Ctrl+K works once a workspace is open.
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible()
  await page.keyboard.press('Control+k')
  const palette = page.getByRole('dialog', { name: 'Where is my commit?' })
  await palette.getByRole('textbox', { name: 'SHA, #PR or branch' }).fill(query)
  await palette.getByRole('button', { name: 'Find' }).click()
  return palette
}

test.describe('where is my commit: several services, trains, new commits', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    // The first host of a run makes the demo and its clones: slow on a busy machine.
    test.setTimeout(180_000)
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('#187 in several services says which service each is in and lets you pick one', async ({ page }) => {
    // git as the oracle: which services have a pull request #187.
    const services = ['billing', 'checkout', 'catalog', 'notifications'].filter(
      (s) => demoGit(s, 'log', '--format=%s', '--grep', '#187\\b', '-E', 'master') !== '',
    )
    expect(services.length).toBeGreaterThan(1)
    await page.goto(host.url)
    const palette = await ask(page, '#187')
    const named = palette.getByRole('list', { name: 'What it names' })
    await expect(palette).toContainText(`names a commit in ${services.length} services`)
    for (const s of services) await expect(named.getByRole('button', { name: s })).toBeVisible()
    const [chosen, other] = services as [string, string]
    await named.getByRole('button', { name: chosen }).click()
    await expect(named.getByRole('button', { name: chosen })).toHaveAttribute('aria-pressed', 'true')
    await expect(palette.getByTestId(`where-${chosen}-dev`)).toBeVisible()
    await expect(palette.getByTestId(`where-${other}-dev`)).toHaveCount(0)
    await palette.getByRole('button', { name: 'Show all services' }).click()
    await expect(palette.getByTestId(`where-${other}-dev`)).toBeVisible()
  })

  test('a train name is a query: each service at its cut, and where that is deployed', async ({ page }) => {
    const board = await host.call('trains.board', {})
    const uk = board.regions.find((r) => r.region === 'uk')
    const name = uk?.current?.name ?? 'missing'
    await page.goto(host.url)
    const palette = await ask(page, name)
    const named = palette.getByRole('list', { name: 'What it names' })
    await expect(named.getByRole('listitem')).not.toHaveCount(0)
    await expect(named).toContainText('(in the train)')
    // The UK runs that train: production-uk has it everywhere the train has the service.
    for (const cell of uk?.cells ?? [])
      if (cell.kind === 'exact')
        await expect(palette.getByTestId(`where-${cell.service}-production-uk`)).toContainText('deployed')
  })

  test('"fetch if it is new" comes with a Fetch button that finds it', async ({ page }) => {
    // A branch made on the server after the last fetch.
    const sha = demoGit('notifications', 'commit-tree', 'master^{tree}', '-p', 'master', '-m', 'Brand new work')
    demoGit('notifications', 'update-ref', 'refs/heads/brand-new-work', sha)
    try {
      await page.goto(host.url)
      const palette = await ask(page, 'brand-new-work')
      await expect(palette.getByRole('alert')).toContainText('fetch if it is new')
      await palette.getByRole('button', { name: 'Fetch and look again' }).click()
      await expect(palette.getByRole('list', { name: 'What it names' })).toContainText('Brand new work', {
        timeout: 60_000,
      })
    } finally {
      demoGit('notifications', 'update-ref', '-d', 'refs/heads/brand-new-work')
    }
  })
})
