import { expect, test } from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../support/git-repo'
import { startHost, type RunningHost } from './support/web-host'

/**
 * A first run against a real `git http-backend` whose first clone stalls halfway through its pack: the first service
 * is cloning, the others wait their turn, and the matrix says so in their cells.
 */
test.describe('the first run, while clones are made', () => {
  let dir: string
  let repo: TestRepo
  let git: GitHttpServer
  let host: RunningHost
  const services = ['ledger', 'billing', 'notifier']

  test.beforeAll(async () => {
    dir = tmpDir('trainyard-first-run-')
    repo = createRepo()
    // A pack big enough to stall in the middle of (random text does not compress).
    for (let i = 0; i < 8; i++)
      repo.commit(`Change ${i}`, { [`file-${i}.txt`]: randomBytes(16_384).toString('base64') })
    mkdirSync(join(dir, 'served'))
    for (const name of services) repo.git('clone', '--bare', repo.path, join(dir, 'served', `${name}.git`))
    git = await startGitHttpServer({
      root: join(dir, 'served'),
      fault: { kind: 'stall-upload-pack', afterBytes: 4096 },
    })
    const file = join(dir, 'first-run.trainyard.yaml')
    writeFileSync(
      file,
      [
        'version: 1',
        'name: First run',
        'services:',
        ...services.map((name) => `  - { name: ${name}, repo: ${git.repoUrl(name)}, defaultBranch: master }`),
        'environments:',
        '  dev: { probe: none }',
        '  production: { probe: none }',
        'regions:',
        '  eu: { label: Europe, path: [dev, production] }',
        'settings: { fetchIntervalMinutes: 0 }',
        '',
      ].join('\n'),
    )
    host = await startHost(['--workspace', file])
  })

  test.afterAll(async () => {
    await host?.stop()
    await git?.close()
    repo?.cleanup()
    if (dir) removeDir(dir)
  })

  test('cells say "cloning…" and "queued" instead of "missing"; Fetch all is there', async ({ page }) => {
    // The first clone is under way and stuck in its pack.
    await expect.poll(() => git.requests.some((r) => r.faulted), { timeout: 30_000 }).toBe(true)
    await page.goto(host.url)
    const [first, ...waiting] = services
    await expect(page.getByTestId(`cell-${first}-dev`)).toContainText(/cloning… \d+ %/)
    for (const service of waiting) {
      await expect(page.getByTestId(`cell-${service}-dev`)).toContainText('queued')
      await expect(page.getByTestId(`cell-${service}-production`)).toContainText('queued')
    }
    await expect(page.getByRole('grid', { name: 'What runs where' })).not.toContainText('missing')
    await expect(page.getByRole('button', { name: 'Fetch all' })).toBeVisible()
  })
})
