import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { demoDir, startDemoHost, type DemoHost } from './support/demo'

/** Runs git in the demo's coordination repository (what the demo's git server serves): the team's copy. */
function teamGit(...args: string[]): string {
  return execFileSync('git', ['-C', join(demoDir, 'origin', 'coordination.git'), ...args], { encoding: 'utf8' }).trim()
}

test.describe('locks and sign-offs shared with the team', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
  })
  test.afterAll(async () => {
    // Leave the shared demo as the next spec expects it: no lock of this spec in force.
    const state = await host.call('coordination.state', {})
    for (const lock of state.locks.filter((l) => l.state === 'active' && l.reason.startsWith('UI test')))
      await host.call('coordination.unlock', { lockId: lock.id })
    await host?.stop()
  })

  test('locks an environment from its column header, shows it, and lifts it from the badge', async ({ page }) => {
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Lock production-uk', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Lock production-uk' })
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('UI test: incident 42, payments failing')
    await dialog.getByRole('combobox', { name: 'Until' }).selectOption({ label: '4 hours from now' })
    await expect(dialog).toContainText('Shared with the team through')
    await dialog.getByRole('button', { name: 'Lock', exact: true }).click()
    await expect(dialog).toBeHidden()

    const badge = page.getByTestId('lock-badge-production-uk')
    await expect(badge).toBeVisible()
    // Every cell of the column shows it too.
    await expect(
      page.getByTestId('cell-catalog-production-uk').getByTestId('lock-badge-catalog in production-uk'),
    ).toBeVisible()
    const state = await host.call('coordination.state', {})
    const lock = state.locks.find((l) => l.reason === 'UI test: incident 42, payments failing')
    expect(lock?.scope).toEqual({ kind: 'environment', environment: 'production-uk' })
    expect(Date.parse(lock?.expiresAt ?? '') - Date.parse(lock?.at ?? '')).toBe(4 * 3600_000)
    // Shared: the demo's coordination repository has it.
    expect(teamGit('show', `refs/trainyard/coordination:locks/${lock?.id ?? 'missing'}.json`)).toContain('incident 42')

    await badge.click()
    const list = page.getByRole('dialog', { name: 'Locks' })
    await expect(list).toContainText('UI test: incident 42, payments failing')
    await list.getByRole('button', { name: 'Lift' }).click()
    await expect(list).toContainText('lifted')
    await list.getByRole('button', { name: 'Close' }).click()
    await expect(badge).toBeHidden()
  })

  test('the promote dialog shows the refusal, and goes ahead over the lock only with a reason', async ({ page }) => {
    const lock = await host.call('coordination.lock', {
      scope: { kind: 'service', service: 'catalog', environment: 'production-us' },
      reason: 'UI test: catalog migration in the US',
    })
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Promote catalog to production-us' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote catalog to production-us' })
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await expect(dialog.getByRole('alert').filter({ hasText: 'locked' })).toContainText(
      'UI test: catalog migration in the US',
    )
    const deploy = dialog.getByRole('button', { name: 'Deploy' })
    await expect(deploy).toBeDisabled()
    await dialog.getByRole('checkbox', { name: 'Override the lock' }).check()
    await expect(deploy).toBeDisabled()
    await dialog.getByRole('textbox', { name: 'Why' }).fill('Security fix, agreed with the incident lead')
    await expect(deploy).toBeEnabled()
    await deploy.click()
    await expect(dialog.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded', { timeout: 45_000 })
    const [run] = await host.call('deploys.list', { service: 'catalog', environment: 'production-us', limit: 1 })
    expect(run?.lockOverride).toMatchObject({ reason: 'Security fix, agreed with the incident lead', locks: [lock.id] })
    await dialog.getByRole('button', { name: 'Done' }).click()
    await host.call('coordination.unlock', { lockId: lock.id })
  })

  test('signs off from a cell, and the promote preview lists the sign-off', async ({ page }) => {
    const qa = (await host.call('environments.matrix', {})).cells.find(
      (c) => c.service === 'checkout' && c.environment === 'qa',
    )
    await page.goto(host.url)
    const cell = page.getByTestId('cell-checkout-qa')
    await cell.hover()
    await cell.getByRole('button', { name: 'Sign off checkout in qa' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign off checkout' })
    await expect(dialog.getByRole('textbox', { name: 'SHA' })).toHaveValue(qa?.probe.sha ?? 'missing')
    await expect(dialog.getByRole('combobox', { name: 'Verified in' })).toHaveValue('qa')
    await dialog.getByRole('textbox', { name: 'Note or link' }).fill('UI test: regression suite green')
    await dialog.getByRole('button', { name: 'Sign off' }).click()
    await expect(dialog).toBeHidden()
    const signed = (await host.call('coordination.state', {})).signoffs.find(
      (s) => s.note === 'UI test: regression suite green',
    )
    expect(signed).toMatchObject({ service: 'checkout', environment: 'qa', sha: qa?.probe.sha })

    await page.getByRole('button', { name: 'Promote checkout to staging' }).click()
    const promote = page.getByRole('dialog', { name: 'Promote checkout to staging' })
    await promote.getByRole('textbox', { name: 'SHA to deploy' }).fill(qa?.shortSha ?? 'missing')
    await promote.getByRole('button', { name: 'Preview' }).click()
    await expect(promote.getByRole('list', { name: 'Sign-offs' })).toContainText('verified in qa by')
    await expect(promote.getByRole('list', { name: 'Sign-offs' })).toContainText('UI test: regression suite green')
    await page.keyboard.press('Escape')
  })

  test('a region held by a lock shows on the train board', async ({ page }) => {
    const lock = await host.call('coordination.lock', {
      scope: { kind: 'region', region: 'us' },
      reason: 'UI test: US freeze',
    })
    try {
      await host.call('preferences.set', { lastView: 'trains' })
      await page.goto(host.url)
      await expect(page.getByTestId('held-us')).toContainText('UI test: US freeze')
      await expect(page.getByTestId('held-uk')).toHaveCount(0)
    } finally {
      await host.call('coordination.unlock', { lockId: lock.id })
      await host.call('preferences.set', { lastView: 'environments' })
    }
  })
})
