import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { APP_INDEX, devServerUrl, isAppUrl, rendererFile } from '../../../src/main/shell/renderer-url'

const dir = '/opt/Trainyard/resources/app.asar/out/renderer'
const root = join(import.meta.dirname, '../../..')

describe('the Electron renderer’s origin', () => {
  it('loads the dev server from ELECTRON_RENDERER_URL only in development, and only from this machine', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }
    expect(devServerUrl(env, false)).toBe('http://localhost:5173/')
    // A packaged app never honours it: it would load any page and trust it for IPC.
    expect(devServerUrl(env, true)).toBeUndefined()
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined()
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/evil.html' }, false)).toBeUndefined()
    expect(devServerUrl({}, false)).toBeUndefined()
  })

  it('serves files of the built renderer only, from its own scheme and host', () => {
    expect(rendererFile(APP_INDEX, dir)).toBe(join(dir, 'index.html'))
    expect(rendererFile('trainyard://app/', dir)).toBe(join(dir, 'index.html'))
    expect(rendererFile('trainyard://app/assets/index-abc.js?v=1', dir)).toBe(join(dir, 'assets/index-abc.js'))
    // `..`, plain or encoded, never leaves the renderer's folder: resolved inside it, or refused.
    for (const escape of [
      'trainyard://app/../../../../etc/passwd',
      'trainyard://app/%2e%2e/%2e%2e/main/index.js',
      'trainyard://app/assets/..%2f..%2f..%2fmain%2findex.js',
      'trainyard://app/%2e%2e%5c%2e%2e%5cmain.js',
    ]) {
      const file = rendererFile(escape, dir)
      expect(file === undefined || file.startsWith(`${dir}/`), `${escape} → ${file}`).toBe(true)
    }
    for (const refused of [
      'trainyard://app/index.html%00.png',
      'trainyard://app/%',
      'trainyard://other/index.html',
      'file:///etc/passwd',
      'https://evil.example/index.html',
    ])
      expect(rendererFile(refused, dir), refused).toBeUndefined()
  })

  it('lets frames navigate and redirect only within the app', () => {
    expect(isAppUrl('trainyard://app/index.html#/graph', undefined)).toBe(true)
    expect(isAppUrl('https://evil.example/', undefined)).toBe(false)
    expect(isAppUrl('file:///opt/Trainyard/out/renderer/index.html', undefined)).toBe(false)
    expect(isAppUrl('javascript:alert(1)', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/src/main.ts', 'http://localhost:5173/')).toBe(true)
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false)
  })
})

describe('the packaged app', () => {
  it('flips the Electron fuses that would let others run code as the app', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: unknown }
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    })
    // The installed electron-builder knows the key, so it is applied rather than ignored.
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
      properties: Record<string, unknown>
    }
    expect(Object.keys(schema.properties)).toContain('electronFuses')
  })
})
