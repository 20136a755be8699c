import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const child = fileURLToPath(new URL('./keychain-child.ts', import.meta.url))
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A fresh home with its own XDG data and runtime dirs, so no real keyring is touched. */
function freshHome(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'trainyard-keychain-'))
  dirs.push(home)
  const runtime = join(home, 'run')
  mkdirSync(runtime, { mode: 0o700 })
  mkdirSync(join(home, 'data'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: runtime,
  }
  delete env.DISPLAY
  delete env.DBUS_SESSION_BUS_ADDRESS
  return env
}

function runChild(command: string[], env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result = spawnSync(command[0] ?? '', command.slice(1), { cwd: root, env, encoding: 'utf8', timeout: 50_000 })
  expect(result.error).toBeUndefined()
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as Record<string, unknown>
}

describe('KeytarSecretStore against a real Secret Service', () => {
  it('sets, reads, replaces, lists and deletes secrets in gnome-keyring', () => {
    const script = `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec node --import tsx ${child}`
    const steps = runChild(['dbus-run-session', '--', 'sh', '-c', script], freshHome())
    expect(steps).toEqual({
      initiallyHas: false,
      afterSet: 'first-secret',
      afterReplace: 'second-secret',
      names: ['github-token', 'rundeck-token'],
      has: true,
      deleted: true,
      deletedAgain: false,
      afterDelete: null,
      namesAfterDelete: ['rundeck-token'],
    })
  })

  it('reports keychain-unavailable, with what to do, when there is no D-Bus session', () => {
    const env = freshHome()
    env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(env.HOME ?? '', 'no-bus')}`
    const steps = runChild(['node', '--import', 'tsx', child], env)
    expect(steps.error).toMatchObject({ code: 'keychain-unavailable' })
    expect((steps.error as { message: string }).message).toMatch(
      /install and unlock a Secret Service keyring \(gnome-keyring or KWallet\)/,
    )
    expect(steps).not.toHaveProperty('afterSet')
  })
})
