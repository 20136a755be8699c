import { expect, test, type Page } from '@playwright/test'
import { demoCommit, demoGit, startDemoHost, type DemoHost } from './support/demo'
import { screenshotPath } from './support/screenshots'

async function openTrains(page: Page, host: DemoHost): Promise<void> {
  await page.goto(host.url)
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Trains' }).click()
  await expect(page.getByRole('region', { name: 'Hotfix flow' })).toBeVisible({ timeout: 30_000 })
}

/** Text in the trains view whose contrast with what is behind it is under WCAG AA (4.5:1; 3:1 for large text). */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number)
    const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
      const c = [r, g, b].map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0)
    }
    const background = (el: Element | null): number[] => {
      for (let e = el; e !== null; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor)
        if (c.length === 3 || (c[3] ?? 0) > 0.5) return c.slice(0, 3)
      }
      return rgba(getComputedStyle(document.body).backgroundColor).slice(0, 3)
    }
    const failures: string[] = []
    const root = document.querySelector('main') ?? document.body
    for (const el of root.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
      const box = el.getBoundingClientRect()
      if (!own || box.width === 0 || (el as HTMLButtonElement).disabled) continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || Number(style.opacity) < 1) continue
      const fg = luminance(rgba(style.color))
      const bg = luminance(background(el))
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
      const large =
        parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700)
      if (ratio < (large ? 3 : 4.5))
        failures.push(`${ratio.toFixed(2)} "${(el.textContent ?? '').trim().slice(0, 40)}"`)
    }
    return failures
  })
}

test.describe('the Trains view', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    // The tests below cut a train, push a hotfix and deploy it: the specs after this one get the demo as it was made.
    test.setTimeout(240_000)
    await host?.call('demo.start', { reset: true })
    await expect
      .poll(async () => (await host.call('repos.status', {})).every((r) => r.state === 'ready'), { timeout: 180_000 })
      .toBe(true)
    await host?.stop()
  })

  test('shows each region in words: what it runs, its seasoning and until when, and its next step', async ({
    page,
  }) => {
    const board = await host.call('trains.board', {})
    await openTrains(page, host)
    // The next cut: date and time on the schedule's clock, named by its zone.
    await expect(page.getByTestId('next-cut')).toContainText(
      new RegExp(`Next cut: \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} ${board.timeZone}`),
    )
    for (const region of board.regions) {
      const card = page.getByRole('article', { name: `Region ${region.label}` })
      await expect(card).toContainText(region.dryRun.summary)
      if (region.current) await expect(card).toContainText(region.current.name)
      // Codes stay in the data: none of them is shown as is.
      await expect(card).not.toContainText(/not-seasoned|up-to-date|no-train|no-sha|—\(/)
      if (region.seasoning && !region.seasoning.done) {
        await expect(card.getByRole('progressbar', { name: 'Seasoning' })).toBeVisible()
        await expect(card).toContainText(/\d+ d \d+ h left/)
        await expect(card).toContainText(/seasoned on \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/)
      }
    }
    // The demo's US runs the train before and waits for the UK's to season: it says so, and until when.
    const us = board.regions[1]
    if (us?.upcoming && !us.next) {
      await expect(page.getByTestId(`next-${us.region}`)).toContainText(
        `Takes ${us.upcoming.train.name} once it has seasoned in ${board.regions[0]?.label ?? ''}`,
      )
    }
    const timeline = page.getByRole('list', { name: 'Trains' })
    await expect(timeline.getByRole('listitem')).toHaveCount(board.trains.length)
    // Words are spaced: no "LEE· cut" or "KATIAhotfix".
    await expect(page.locator('main')).not.toContainText(/[A-Z]{3,}(hotfix|·)/)

    const hotfix = board.hotfixes.find((h) => h.service === 'billing' && h.branch === 'us-release')
    expect(hotfix?.deployedIn).toContain('production-us')
    const panel = page.getByRole('region', { name: 'Hotfix branches' })
    await expect(panel).toContainText('us-release')
    await expect(panel).toContainText(hotfix?.fixes[0]?.subject ?? 'no fix')
    await expect(panel).toContainText('Deployed in production-us')
    for (const w of board.warnings) await expect(panel).toContainText(w.message)
    await page.screenshot({ path: screenshotPath('trains.png'), fullPage: true })
  })

  test('reads at WCAG AA contrast in the light and the dark theme', async ({ page }) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await openTrains(page, host)
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme)
      expect(await lowContrast(page), `${colorScheme} theme`).toEqual([])
    }
  })

  test.describe('seen from New York', () => {
    test.use({ timezoneId: 'America/New_York' })
    test('times stay on London’s clock, with the local time beside them', async ({ page }) => {
      await openTrains(page, host)
      await expect(page.getByTestId('next-cut')).toContainText(
        /Europe\/London \(\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} your time\)/,
      )
    })
  })

  test('an existing hotfix branch is reported as it is, and a dry run writes nothing', async ({ page }) => {
    await openTrains(page, host)
    const flow = page.getByRole('region', { name: 'Hotfix flow' })
    await flow.getByRole('combobox', { name: 'Service' }).selectOption('billing')
    await flow.getByRole('combobox', { name: 'Region' }).selectOption('us')
    await flow.getByRole('button', { name: /Open us-release/ }).click()
    const board = await host.call('trains.board', {})
    const tip = board.hotfixes.find((h) => h.branch === 'us-release')?.tip ?? ''
    await expect(flow.getByRole('status')).toContainText(`us-release of billing already exists at ${tip.slice(0, 7)}`)
    await flow.getByRole('textbox', { name: 'Commits from master' }).fill(tip.slice(0, 10))
    await flow.getByRole('button', { name: '2. Dry run' }).click()
    await expect(flow.getByRole('alert').or(flow.getByRole('list', { name: 'Picks' }))).toBeVisible()
    const after = await host.call('trains.board', {})
    expect(after.hotfixes.find((h) => h.branch === 'us-release')?.tip).toBe(tip)
  })

  test('the hotfix flow to the end: open uk-release, pick the fix by its PR, push, promote through staging', async ({
    page,
  }) => {
    test.setTimeout(180_000)
    const fix = demoCommit('billing', 'Fix refund')
    const pr = /\(#(\d+)\)/.exec(demoGit('billing', 'log', '-1', '--format=%s', fix))?.[1] ?? 'missing'
    await openTrains(page, host)
    const flow = page.getByRole('region', { name: 'Hotfix flow' })
    await flow.getByRole('combobox', { name: 'Service' }).selectOption('billing')
    await flow.getByRole('combobox', { name: 'Region' }).selectOption('uk')
    await flow.getByRole('button', { name: '1. Open uk-release' }).click()
    await expect(flow.getByRole('status')).toContainText('Created uk-release of billing at')

    await flow.getByRole('textbox', { name: 'Commits from master' }).fill(`#${pr}`)
    await flow.getByRole('button', { name: '2. Dry run' }).click()
    await expect(flow.getByRole('list', { name: 'Picks' })).toContainText(`#${pr}: ${fix.slice(0, 7)}`)
    await flow.getByRole('button', { name: 'Pick', exact: true }).click()
    await expect(flow.getByRole('status')).toContainText('Picked 1 commit onto uk-release')

    await flow.getByRole('button', { name: '3. Push uk-release' }).click()
    await expect(flow.getByRole('status')).toContainText('Pushed uk-release of billing')
    const tip = demoGit('billing', 'rev-parse', 'refs/heads/uk-release')
    expect(demoGit('billing', 'log', '-1', '--format=%B', tip)).toContain(`(cherry picked from commit `)

    for (const environment of ['staging', 'production-uk']) {
      const promote = flow.getByRole('button', { name: `4. Promote uk-release to ${environment}` })
      // Step 4 moves on once staging's version page reports the tip, a moment after the deploy: refresh until then.
      await expect(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click()
        await expect(promote).toBeEnabled({ timeout: 3_000 })
      }).toPass({ timeout: 30_000 })
      await promote.click()
      const dialog = page.getByRole('dialog', { name: `Promote billing to ${environment}` })
      // Step 4 opens on the branch tip, not on what the environment before runs.
      await expect(dialog.getByRole('textbox', { name: 'SHA to deploy' })).toHaveValue(tip)
      await dialog.getByRole('button', { name: 'Preview' }).click()
      await expect(dialog.getByTestId('preview-kind')).toHaveText('Forward')
      await dialog.getByRole('button', { name: 'Deploy' }).click()
      await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 })
      await dialog.getByRole('button', { name: 'Done' }).click()
    }
    const panel = page.getByRole('region', { name: 'Hotfix branches' })
    // A version page reports the new SHA a moment after its deploy ends, as a real app does: refresh until it shows.
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      await expect(panel.getByRole('article', { name: 'uk-release of billing' })).toContainText(
        'Deployed in staging, production-uk',
        { timeout: 3_000 },
      )
    }).toPass({ timeout: 30_000 })
  })

  test('cuts the next train only once confirmed, then promotes it staging first with live progress', async ({
    page,
  }) => {
    test.setTimeout(240_000)
    await openTrains(page, host)
    const before = await host.call('trains.board', {})
    const uk = before.regions[0]
    const next = before.trains.find((t) => t.phase === 'planned' && t.train.cutAt === before.nextCut)?.train
    expect(uk?.next).toBeUndefined()
    await page.getByRole('button', { name: 'Cut the train now' }).click()
    const confirm = page.getByRole('dialog', { name: `Cut ${next?.name ?? ''} now?` })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect(confirm).toBeHidden()
    expect((await host.call('trains.board', {})).regions[0]?.next).toBeUndefined()

    await page.getByRole('button', { name: 'Cut the train now' }).click()
    await confirm.getByRole('button', { name: `Cut ${next?.name ?? ''} now` }).click()
    const card = page.getByRole('article', { name: `Region ${uk?.label ?? ''}` })
    // The cut fetches every service first.
    await expect(card.getByTestId(`next-${uk?.region ?? ''}`)).toContainText(`${next?.name ?? ''} (cut by hand`, {
      timeout: 60_000,
    })
    await card.getByRole('button', { name: `Promote ${next?.name ?? ''} to ${uk?.label ?? ''}` }).click()
    const dialog = page.getByRole('dialog', { name: `Promote ${next?.name ?? ''} to ${uk?.label ?? ''}` })
    const plan = await host.call('trains.preview', { region: uk?.region ?? '', trainId: `${next?.id ?? ''}` })
    // production-uk requires staging to have run the SHA: the preview plans staging first, and nothing refuses.
    expect(plan.refusals).toEqual([])
    expect(plan.steps.some((s) => s.environment === 'staging' && s.requiredBy === 'production-uk')).toBe(true)
    const steps = dialog.getByRole('list', { name: 'Steps' }).getByRole('listitem')
    await expect(steps).toHaveCount(plan.steps.length)
    await expect(steps.first()).toContainText('first, because production-uk needs a successful deploy here')
    const count = plan.steps.length
    await dialog.getByRole('button', { name: `Promote ${count} step${count === 1 ? '' : 's'}` }).click()
    await expect(dialog.getByRole('list', { name: 'Progress' })).toContainText('starting')
    // Abort asks first; keeping on leaves the promotion running.
    await dialog.getByRole('button', { name: 'Abort' }).click()
    const abort = page.getByRole('dialog', { name: 'Abort this promotion?' })
    await expect(abort).toContainText('the steps after it will not start')
    await abort.getByRole('button', { name: 'Cancel' }).click()
    await expect(abort).toBeHidden()
    await expect(dialog.getByRole('status')).toContainText(`${next?.name ?? ''} promoted: ${count} runs`, {
      timeout: 200_000,
    })
    await dialog.getByRole('button', { name: 'Done' }).click()
    // A version page reports the new SHA a moment after its deploy ends, as a real app does: refresh until it shows.
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      await expect(card.getByRole('definition').first()).toContainText(`${next?.name ?? ''} (cut by hand`, {
        timeout: 3_000,
      })
    }).toPass({ timeout: 30_000 })
    const runs = await host.call('deploys.list', { limit: 50 })
    for (const step of plan.steps)
      expect(
        runs.some((r) => r.service === step.service && r.environment === step.environment && r.state === 'succeeded'),
      ).toBe(true)
  })
})
