import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { demoDir, startDemoHost, type DemoHost } from './support/demo'

/**
 * A copy of the demo's workspace whose `environment` probe asks its version server for a page that does not exist
 * (404): the probe gives no answer, and no cached answer stands in for it (that is only for an unreachable server).
 */
function unansweredProbeWorkspace(environment: string): string {
  const lines = readFileSync(join(demoDir, 'trainyard.yaml'), 'utf8').split('\n')
  const at = lines.findIndex((line) => line === `  ${environment}:`)
  const probe = lines.findIndex((line, i) => i > at && line.trimStart().startsWith('probe: { http:'))
  if (at < 0 || probe < 0) throw new Error(`no http probe for ${environment} in the demo workspace`)
  lines[probe] = (lines[probe] ?? '').replace('/version.json', '/no-such-page.json')
  const file = join(demoDir, `unanswered-${environment}.yaml`)
  writeFileSync(file, lines.join('\n'))
  return file
}

/** A copy of the demo's workspace with a `perf` environment nobody can read (its probe points at a closed port). */
function unreadableEnvironmentWorkspace(): string {
  const lines = readFileSync(join(demoDir, 'trainyard.yaml'), 'utf8').split('\n')
  const qa = lines.findIndex((line) => line === '  qa:')
  const deploy = lines.findIndex((line, i) => i > qa && line.trimStart().startsWith('deploy: { jenkins:'))
  const regions = lines.findIndex((line) => line === 'regions:')
  if (qa < 0 || deploy < 0 || regions < 0) throw new Error('the demo workspace changed shape')
  lines.splice(regions + 1, 0, '  perf: { label: Performance, path: [dev, perf] }')
  lines.splice(
    deploy + 1,
    0,
    '  perf:',
    '    probe: { http: "http://127.0.0.1:9/{service}/{environment}/version.json", json: /sha }',
    (lines[deploy] ?? '').replace('TARGET: qa', 'TARGET: perf'),
  )
  const file = join(demoDir, 'unreadable-perf.yaml')
  writeFileSync(file, lines.join('\n'))
  return file
}

test.describe('promotes Trainyard cannot check, and a damaged deploy journal', () => {
  let host: DemoHost
  test.beforeAll(async () => {
    host = await startDemoHost()
    // Every cell read once, so the probe cache the later specs start from holds them all.
    await host.call('environments.matrix', { refresh: true })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('a probe with no answer: the preview goes by the newest thing known (its last answer here), never a blind first deploy', async ({
    page,
  }) => {
    await host.call('workspace.open', { file: unansweredProbeWorkspace('qa') })
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Promote billing to qa' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote billing to qa' })
    await dialog.getByRole('button', { name: 'Preview' }).click()
    // Its last answer (read just now, in beforeAll) is newer than qa's last success in the journal.
    await expect(dialog.getByTestId('current-source')).toHaveText(
      "qa's probe gave no answer: going by its last answer.",
    )
    await expect(dialog.getByTestId('preview-kind')).not.toHaveText('First deploy')
    await page.keyboard.press('Escape')
  })

  test('an environment nobody can read: Deploy waits until the person says it is a first deploy', async ({ page }) => {
    await host.call('workspace.open', { file: unreadableEnvironmentWorkspace() })
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Promote billing to perf' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote billing to perf' })
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await expect(dialog.getByTestId('preview-kind')).toHaveText('First deploy')
    await expect(dialog.getByRole('alert').filter({ hasText: 'current-unknown' })).toContainText(
      'cannot tell what perf runs',
    )
    const deploy = dialog.getByRole('button', { name: 'Deploy' })
    await expect(deploy).toBeDisabled()
    await dialog.getByRole('checkbox', { name: /Nothing runs in perf yet: this is its first deploy/ }).check()
    await expect(deploy).toBeEnabled()
    await page.keyboard.press('Escape')
  })

  test('journal damage is shown in the Deploys view, with where the skipped bytes are kept', async ({ page }) => {
    const journal = join(demoDir, 'state', 'journal.jsonl')
    appendFileSync(journal, 'a line damaged by a disk\n')
    try {
      await page.goto(host.url)
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Deploys' }).click()
      const notice = page.getByRole('region', { name: 'Deploy journal damage' })
      await expect(notice).toContainText('The deploy journal was damaged')
      await expect(notice).toContainText('skipped an unreadable line')
      await expect(notice).toContainText('journal.jsonl.damaged')
      expect(readFileSync(`${journal}.damaged`, 'utf8')).toContain('\na line damaged by a disk\n')
    } finally {
      rmSync(`${journal}.damaged`, { force: true })
    }
  })
})
