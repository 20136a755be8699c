import { _electron as electron, expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { electronBinary } from '../../scripts/electron-available.mjs'

const root = resolve(import.meta.dirname, '../..')
const binary = electronBinary()

test.describe('the Electron shell', () => {
  test.skip(
    !binary,
    'The Electron binary is not installed on this machine (it cannot be downloaded here); the shell is covered by the unit tests of its options and by the web host UI tests.',
  )

  test('opens the demo and shows the matrix', async () => {
    const home = mkdtempSync(join(tmpdir(), 'trainyard-electron-'))
    const app = await electron.launch({
      executablePath: binary,
      args: [root],
      env: { ...process.env, TRAINYARD_HOME: home },
    })
    try {
      const window = await app.firstWindow()
      await window.getByRole('button', { name: 'Try the demo' }).click()
      await expect(window.getByRole('navigation', { name: 'Views' })).toBeVisible({ timeout: 60_000 })
      await expect(window.getByText('billing').first()).toBeVisible()
      // No Node in the renderer, and the bridge offers exactly invoke and subscribe.
      expect(
        await window.evaluate(() => [
          typeof (globalThis as { require?: unknown }).require,
          typeof (globalThis as { process?: unknown }).process,
        ]),
      ).toEqual(['undefined', 'undefined'])
      expect(
        await window.evaluate(() => Object.keys((globalThis as unknown as { trainyard: object }).trainyard).sort()),
      ).toEqual(['invoke', 'subscribe'])
    } finally {
      await app.close()
      rmSync(home, { recursive: true, force: true })
    }
  })
})
