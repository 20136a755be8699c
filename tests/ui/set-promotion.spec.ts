import { expect, test } from '@playwright/test'
import type { Matrix } from '../../src/shared/models/environments'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReleaseSet } from '../../src/shared/models/release-sets'
import { demoDir, putBack, startDemoHost, type DemoHost } from './support/demo'

/*
 * Promoting what staging runs to production-uk from the matrix: the column header opens the set's preview (each
 * service's verdict, every commit by author with "… and N more", the Markdown release note), the run shows each
 * service's progress live, and the dialog says how the set ended.
 */
test.describe('a set promotion from the matrix', () => {
  let host: DemoHost
  let before: Matrix
  test.beforeAll(async () => {
    test.setTimeout(180_000)
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('staging → production-uk from the column header: preview, run, live progress, outcome', async ({ page }) => {
    test.setTimeout(180_000)
    before = await host.call('environments.matrix', { refresh: true })
    // The demo's production-uk runs what staging runs: staging first takes what qa runs (a set, through the API).
    // Two services are enough (and keep the spec short on a busy machine).
    const upstream = await host.call('sets.preview', { from: 'qa', to: 'staging' })
    const two = upstream.steps.filter((s) => s.verdict === 'ships').slice(0, 2)
    expect(two).toHaveLength(2)
    const staged = await host.call('sets.start', {
      from: 'qa',
      to: 'staging',
      services: two.map((s) => s.service),
    })
    let now = staged
    while (now.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 300))
      now = await host.call('sets.get', { setId: staged.id })
    }
    expect(now.state).toBe('succeeded')
    // The demo's version pages change a moment after a deploy ends: wait until staging's probes say so.
    const landed = (m: Matrix): boolean =>
      now.steps.every(
        (step) =>
          step.state !== 'succeeded' ||
          m.cells.some((c) => c.service === step.service && c.environment === 'staging' && c.probe.sha === step.sha),
      )
    while (!landed(await host.call('environments.matrix', { refresh: true })))
      await new Promise((resolve) => setTimeout(resolve, 300))
    const preview = await host.call('sets.preview', { from: 'staging', to: 'production-uk' })
    const ships = preview.steps.filter((s) => s.verdict === 'ships')
    expect(ships.length).toBeGreaterThan(0)

    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    await page.getByRole('button', { name: 'Promote every service to production-uk' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote staging → production-uk' })
    for (const step of preview.steps)
      await expect(dialog.getByTestId(`batch-${step.service}`).getByTestId('set-verdict')).toHaveAttribute(
        'data-verdict',
        step.verdict,
      )
    // Every author with every commit: a long list says how many more and opens on a click.
    for (const author of preview.authors) {
      const block = dialog.getByTestId(`author-${author.email}`)
      await expect(block).toContainText(author.name)
      if (author.commits.length > 5) {
        await block.getByRole('button', { name: `… and ${author.commits.length - 5} more` }).click()
      }
      await expect(block.getByRole('listitem')).toHaveCount(author.commits.length)
    }
    await dialog.getByText('Release note (Markdown)').click()
    await expect(dialog.getByTestId('release-note')).toContainText('Authors to ask')

    await dialog
      .getByRole('button', { name: ships.length === 1 ? 'Promote 1 service' : `Promote ${ships.length} services` })
      .click()
    // Live: a step is seen moving before the set ends.
    await expect(dialog.getByTestId('step-state').first()).toBeVisible()
    for (const step of ships)
      await expect(dialog.getByTestId(`batch-${step.service}`).getByTestId('step-state')).toHaveAttribute(
        'data-state',
        'succeeded',
        { timeout: 60_000 },
      )
    const refused = preview.steps.some((s) => s.verdict === 'refused')
    await expect(dialog.getByTestId('set-outcome')).toHaveAttribute('data-state', refused ? 'partly' : 'succeeded')
    await expect(dialog.getByTestId('set-outcome')).toContainText('Deployed:')
    await dialog.getByRole('button', { name: 'Done' }).click()
    for (const step of ships)
      await expect(page.getByTestId(`cell-${step.service}-production-uk`)).toContainText(step.sha?.slice(0, 7) ?? '-')
    const sets = await host.call('sets.list', {})
    expect(sets[0]?.label).toBe('staging → production-uk')
    // The region path offers the same set: now every service is already there.
    await page.getByRole('button', { name: 'Promote staging → production-uk' }).click()
    const again = page.getByRole('dialog', { name: 'Promote staging → production-uk' })
    for (const step of ships)
      await expect(again.getByTestId(`batch-${step.service}`).getByTestId('set-verdict')).toHaveAttribute(
        'data-verdict',
        'already-there',
      )
    await again.getByRole('button', { name: 'Close' }).click()

    // Put the shared demo back for the specs after this one.
    for (const step of ships) {
      for (const environment of ['production-uk', 'staging']) {
        const was = before.cells.find((c) => c.service === step.service && c.environment === environment)
        await putBack(host, step.service, environment, was?.probe.sha ?? 'missing')
      }
    }
  })

  test('a set whose process died is offered to resume or abort; aborted, nothing of it starts', async ({ page }) => {
    const cell = (await host.call('environments.matrix', {})).cells.find((c) => c.environment === 'production-us')
    // What a process that died mid-set leaves in the set journal: planned, a step waiting, no one holding the set.
    const set: ReleaseSet = {
      id: `set-ui-${Date.now()}`,
      label: 'staging → production-us',
      from: 'staging',
      to: 'production-us',
      requestedBy: 'someone',
      requestedAt: new Date().toISOString(),
      state: 'running',
      steps: [
        {
          service: cell?.service ?? 'billing',
          environment: 'production-us',
          sha: cell?.probe.sha ?? '',
          wave: 0,
          state: 'waiting',
        },
      ],
    }
    appendFileSync(
      join(demoDir, 'state', 'sets.jsonl'),
      `${JSON.stringify({ v: 1, at: set.requestedAt, kind: 'planned', set })}\n`,
    )
    const before = (await host.call('deploys.list', {})).length
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments' }).click()
    const banner = page.getByTestId(`set-${set.id}`)
    await expect(banner).toContainText('was interrupted')
    await banner.getByRole('button', { name: 'Abort the rest' }).click()
    await expect(banner).toHaveCount(0)
    const aborted = await host.call('sets.get', { setId: set.id })
    expect(aborted.state).toBe('aborted')
    expect(aborted.steps.map((s) => s.state)).toEqual(['not-started'])
    expect((await host.call('deploys.list', {})).length).toBe(before)
  })
})
