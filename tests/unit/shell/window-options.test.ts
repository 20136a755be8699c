import { describe, expect, it } from 'vitest'
import {
  isExternalLinkAllowed,
  isTrustedRendererUrl,
  mainWindowOptions,
  SHELL_CSP,
} from '../../../src/main/shell/window-options'

describe('the main window', () => {
  const options = mainWindowOptions('/app/out/preload/index.cjs', { width: 1200, height: 800 })

  it('isolates a sandboxed renderer with no Node and only the preload bridge', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })

  it('remembers bounds only when both coordinates are known', () => {
    expect(options).not.toHaveProperty('x')
    expect(mainWindowOptions('p', { x: 10, y: 20, width: 900, height: 600 })).toMatchObject({
      x: 10,
      y: 20,
      width: 900,
      height: 600,
    })
  })

  it('has a strict CSP without unsafe-eval or remote sources', () => {
    expect(SHELL_CSP).toContain("default-src 'self'")
    expect(SHELL_CSP).toContain("script-src 'self'")
    expect(SHELL_CSP).toContain("object-src 'none'")
    expect(SHELL_CSP).not.toMatch(/unsafe-eval|https?:|\*/)
  })

  it('opens only https links outside the app, and plain http only to this machine', () => {
    expect(isExternalLinkAllowed('https://rundeck.example/execution/1')).toBe(true)
    expect(isExternalLinkAllowed('http://127.0.0.1:4440/x')).toBe(true)
    expect(isExternalLinkAllowed('http://rundeck.example/execution/1')).toBe(false)
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false)
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false)
    expect(isExternalLinkAllowed('smb://share/x')).toBe(false)
    expect(isExternalLinkAllowed('not a url')).toBe(false)
  })

  it('trusts IPC only from its own scheme, and from the dev server only in development', () => {
    expect(isTrustedRendererUrl('trainyard://app/index.html', undefined)).toBe(true)
    // The old rule trusted any local file whose path ended in /renderer/index.html.
    expect(isTrustedRendererUrl('file:///opt/Trainyard/resources/app.asar/out/renderer/index.html', undefined)).toBe(
      false,
    )
    expect(isTrustedRendererUrl('file:///tmp/evil/renderer/index.html', undefined)).toBe(false)
    expect(isTrustedRendererUrl('trainyard://other/index.html', undefined)).toBe(false)
    expect(isTrustedRendererUrl('https://evil.example/', undefined)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
  })
})
