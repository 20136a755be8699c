import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { removeDir, tmpDir } from '../../support/git-repo'

const run = promisify(execFile)
const root = join(import.meta.dirname, '../../..')
const bin = join(root, 'bin/trainyard.mjs')

// A module hook that fails the process as soon as anything asks for tsx or a TypeScript file.
const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) throw new Error('the CLI loaded tsx: ' + specifier)
  const resolved = await next(specifier, context)
  if (/\\.[cm]?ts$/.test(resolved.url)) throw new Error('the CLI loaded TypeScript: ' + resolved.url)
  return resolved
}
`

describe('the trainyard command as shipped', () => {
  const dir = tmpDir('trainyard-start-up-')
  afterAll(() => removeDir(dir))

  it('runs the built JavaScript: no tsx and no TypeScript file is loaded, for help or for real work', async () => {
    const hookFile = join(dir, 'no-typescript.mjs')
    writeFileSync(hookFile, hooks)
    const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(hookFile).href)})`
    const env = { ...process.env, TRAINYARD_HOME: join(dir, 'home') }
    const help = await run(process.execPath, ['--import', register, bin, '--help'], { cwd: dir, env })
    expect(help.stdout).toContain('Usage: trainyard <command>')
    // `validate` loads the whole cockpit (YAML reader, git, keychain port): all of it must come from out/.
    const valid = await run(
      process.execPath,
      ['--import', register, bin, 'validate', join(root, 'examples/acme.trainyard.yaml')],
      { cwd: dir, env },
    )
    expect(valid.stdout).toContain(': valid')
  })

  it('works with npx from a fresh checkout: it builds itself once, then answers', async () => {
    // The checkout as git would give it (tracked and new files, nothing ignored: no out/), with the installed modules.
    const checkout = join(dir, 'checkout')
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    for (const file of files.split('\0').filter((f) => f !== '' && existsSync(join(root, f)))) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true })
      cpSync(join(root, file), join(checkout, file))
    }
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'))
    expect(existsSync(join(checkout, 'out'))).toBe(false)
    const env = { ...process.env, TRAINYARD_HOME: join(dir, 'home') }
    const npx = join(dirname(process.execPath), 'npx')
    const first = await run(npx, ['--offline', 'trainyard', 'validate', 'examples/acme.trainyard.yaml', '--json'], {
      cwd: checkout,
      env,
      timeout: 170_000,
    })
    // The build talks on stderr; stdout holds only the answer.
    expect(first.stderr).toContain('Building Trainyard')
    expect(JSON.parse(first.stdout)).toMatchObject({ valid: true })
    expect(existsSync(join(checkout, 'out/main/cli.js'))).toBe(true)
    const second = await run(npx, ['--offline', 'trainyard', '--help'], { cwd: checkout, env })
    expect(second.stderr).not.toContain('Building Trainyard')
    expect(second.stdout).toContain('Usage: trainyard <command>')
  }, 180_000)

  it('keeps tsx out of the runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx')
  })
})
