import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

/** What each step of a keyring session printed and how it exited. */
export interface SessionSteps {
  code(step: string): string
  stdout(step: string): string
  stderr(step: string): string
}

/**
 * Runs shell commands one after another in one D-Bus session with an unlocked gnome-keyring (a real Secret
 * Service), as on a desktop, with `home` as HOME, TRAINYARD_HOME and XDG dirs; keeps each step's output.
 */
export async function inKeyringSession(home: string, cwd: string, steps: [string, string][]): Promise<SessionSteps> {
  mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 })
  mkdirSync(join(home, 'xdg'), { recursive: true })
  const out = join(home, 'steps')
  mkdirSync(out, { recursive: true })
  const script = [
    'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
    ...steps.map(
      ([name, command]) => `${command} > ${out}/${name}.out 2> ${out}/${name}.err; echo $? > ${out}/${name}.code`,
    ),
  ].join('; ')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TRAINYARD_HOME: home,
    HOME: home,
    XDG_DATA_HOME: join(home, 'xdg'),
    XDG_RUNTIME_DIR: join(home, 'run'),
  }
  delete env.DBUS_SESSION_BUS_ADDRESS
  await promisify(execFile)('dbus-run-session', ['--', 'sh', '-c', script], {
    cwd,
    env,
    timeout: 240_000,
    maxBuffer: 64 << 20,
  })
  const read = (step: string, kind: string) => readFileSync(join(out, `${step}.${kind}`), 'utf8')
  return {
    code: (step) => read(step, 'code').trim(),
    stdout: (step) => read(step, 'out'),
    stderr: (step) => read(step, 'err'),
  }
}
