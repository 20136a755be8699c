import { expect, test, type Page } from '@playwright/test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRundeckSimulator, type RundeckSimulator } from '../../src/main/simulators/rundeck-sim'
import { startHost, type RunningHost } from './support/web-host'
import { screenshotPath } from './support/screenshots'

const TOKEN = 'rdk-ui-create-secret-4242'

// The host points keytar at a D-Bus session that does not exist, so the keychain fails the same way on
// every machine (a developer's real keyring is never touched, CI needs no gnome-keyring): the form is
// tested up to Create, and Create must say clearly which secret the keychain did not take.
test.describe('creating a workspace from the welcome screen', () => {
  let host: RunningHost
  let rundeck: RundeckSimulator
  let dir: string
  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trainyard-ui-create-'))
    rundeck = await startRundeckSimulator({
      jobs: [{ id: 'job-deploy', name: 'deploy', project: 'payments' }],
      tokens: { [TOKEN]: 'cockpit' },
    })
    host = await startHost([], { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, DISPLAY: '' })
  })
  test.afterAll(async () => {
    await host?.stop()
    await rundeck?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function startForm(page: Page, file: string): Promise<void> {
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Create a workspace…' }).click()
    await expect(page.getByRole('heading', { name: 'Create a workspace' })).toBeVisible()
    await page.getByLabel('Workspace name').fill('Made in the form')
    await page.getByLabel('File path').fill(file)
  }

  async function fillServiceAndJobs(page: Page): Promise<void> {
    await page.getByRole('button', { name: '3. Services' }).click()
    await page.getByLabel('Name', { exact: true }).fill('billing')
    await page.getByLabel('Repository URL').fill('http://127.0.0.1:9/billing.git')
    await page.getByRole('button', { name: '4. Environments' }).click()
    const kinds = page.getByLabel('Deploy job')
    await expect(kinds).toHaveCount(4)
    for (let i = 0; i < 4; i++) await kinds.nth(i).selectOption('rundeck')
    const jobs = page.getByLabel('Job id')
    for (let i = 0; i < 4; i++) await jobs.nth(i).fill('job-deploy')
  }

  test('tests an endpoint inline, shows problems by line, then writes the file and names the secret the keychain refused', async ({
    page,
  }) => {
    const file = join(dir, 'team.trainyard.yaml')
    await startForm(page, file)
    await page.getByRole('button', { name: 'Next' }).click()
    await expect(page.getByRole('heading', { name: 'Endpoints' })).toBeFocused()
    await page.getByRole('button', { name: 'Add a Rundeck endpoint' }).click()

    const endpoint = page.getByRole('group', { name: 'Endpoint rundeck' })
    await endpoint.getByLabel('URL').fill(rundeck.url)
    await endpoint.getByLabel('Project (optional)').fill('payments')
    await endpoint.getByLabel('Token').fill('not-the-right-token')
    await endpoint.getByRole('button', { name: 'Test rundeck' }).click()
    const result = endpoint.getByRole('status')
    await expect(result).toContainText('auth-failed')
    await expect(result).toContainText('refused the secret of credential "rundeck-token"')
    await endpoint.getByLabel('Token').fill(TOKEN)
    await endpoint.getByRole('button', { name: 'Test rundeck' }).click()
    await expect(result).toContainText('Rundeck 5.7.0, API 50: token accepted; project payments found')
    await expect(page.locator('body')).not.toContainText(TOKEN)

    await page.getByRole('button', { name: '3. Services' }).click()
    await page.getByLabel('Name', { exact: true }).fill('billing')
    await page.getByLabel('Repository URL').fill('http://127.0.0.1:9/billing.git')
    // dev deploys with a Rundeck job whose id is left empty: the core refuses the draft with lines, writes nothing.
    await page.getByRole('button', { name: '4. Environments' }).click()
    const dev = page.getByRole('group', { name: 'Environment dev' })
    await dev.getByLabel('Deploy job').selectOption('rundeck')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const problems = page.getByRole('list', { name: 'Problems' })
    await expect(problems).toContainText(/line \d+:\d+/)
    // No literal backticks: names in a problem read as code.
    await expect(problems).not.toContainText('`')
    await expect(problems.locator('code').filter({ hasText: 'dev' })).toHaveCount(1)
    await expect(page.getByRole('heading', { name: 'Review' })).toBeVisible()
    expect(existsSync(file)).toBe(false)
    // The problem is on its field too, and its line stays marked in the preview.
    await page.getByRole('button', { name: '4. Environments' }).click()
    await expect(dev.getByLabel('Job id')).toHaveAttribute('aria-invalid', 'true')
    await expect(dev.getByTestId('field-error')).toBeVisible()
    await expect(page.getByLabel('YAML preview').locator('.flagged')).not.toHaveCount(0)

    await fillServiceAndJobs(page)
    await page.getByLabel('New region with its own production').fill('us')
    await page.getByRole('button', { name: 'Add region' }).click()
    const preview = page.getByLabel('YAML preview')
    await expect(preview).toContainText('us: { path: [ dev, qa, staging, production-us ] }')
    await expect(preview).not.toContainText(TOKEN)
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'))
    await page.screenshot({ path: screenshotPath('create-workspace-dark.png'), fullPage: true })

    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const alert = page.getByRole('alert')
    await expect(alert).toContainText('keychain-unavailable')
    await expect(alert).toContainText('"rundeck-token"')
    await expect(alert).not.toContainText(TOKEN)
    const written = readFileSync(file, 'utf8')
    expect(written).toContain('name: Made in the form')
    expect(written).toContain('production-us')
    expect(written).not.toContain(TOKEN)
  })

  test('creates a workspace whose secrets are already in place and opens it', async ({ page }) => {
    const file = join(dir, 'open.trainyard.yaml')
    await startForm(page, file)
    await page.getByRole('button', { name: '2. Endpoints' }).click()
    await page.getByRole('button', { name: 'Add a Rundeck endpoint' }).click()
    await page.getByLabel('URL').fill(rundeck.url)
    await fillServiceAndJobs(page)
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible()
    await expect(page.getByText('Made in the form').first()).toBeVisible()
    expect(readFileSync(file, 'utf8')).toContain('rundeck: { kind: rundeck, url: ')
  })

  test('checks fields as they are typed, is valid as it opens, and says an unreachable URL is unreachable', async ({
    page,
  }) => {
    await page.goto(host.url)
    // Back to the welcome screen whatever an earlier test opened.
    await page.evaluate(() =>
      fetch('api/workspace.close', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    )
    await page.reload()
    await page.getByRole('button', { name: 'Create a workspace…' }).click()
    const fileField = page.getByLabel('File path')
    await fileField.fill('team.yaml')
    await expect(fileField).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByTestId('field-error')).toContainText('full path')
    const file = join(dir, 'defaults.trainyard.yaml')
    await fileField.fill(file)
    await expect(fileField).not.toHaveAttribute('aria-invalid')
    await page.getByLabel('Workspace name').fill('Defaults')

    await page.getByRole('button', { name: '2. Endpoints' }).click()
    await page.getByRole('button', { name: 'Add a Rundeck endpoint' }).click()
    const endpoint = page.getByRole('group', { name: 'Endpoint rundeck' })
    await endpoint.getByLabel('URL').fill('rundeck.internal')
    await expect(endpoint.getByTestId('field-error')).toContainText('http:// or https://')
    // Port 9 on loopback: nothing listens. No token typed: the URL is still what is wrong.
    await endpoint.getByLabel('URL').fill('http://127.0.0.1:9')
    await expect(endpoint.getByTestId('field-error')).toHaveCount(0)
    await endpoint.getByRole('button', { name: 'Test rundeck' }).click()
    await expect(endpoint.getByRole('status')).toContainText('endpoint-unreachable')
    await endpoint.getByRole('button', { name: 'Remove rundeck' }).click()

    // Nothing but the names and URLs a person must give: the defaults make a valid workspace.
    await page.getByRole('button', { name: '3. Services' }).click()
    await page.getByLabel('Name', { exact: true }).fill('billing')
    await page.getByLabel('Repository URL').fill('http://127.0.0.1:9/billing.git')
    await expect(page.getByTestId('field-error')).toHaveCount(0)
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible()
    expect(readFileSync(file, 'utf8')).toContain('name: Defaults')
  })
})
