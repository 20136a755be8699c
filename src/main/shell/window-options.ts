import type { BrowserWindowConstructorOptions } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../host/security'

/** The renderer's Content-Security-Policy in the Electron shell: the web host's, no `unsafe-eval`. */
export const SHELL_CSP = CONTENT_SECURITY_POLICY

/** Window bounds as remembered in app state. */
export interface WindowBounds {
  x?: number
  y?: number
  width: number
  height: number
  maximized?: boolean
}

/** The main window's options: an isolated, sandboxed renderer with no Node and only the preload's bridge. */
export function mainWindowOptions(preload: string, bounds: WindowBounds): BrowserWindowConstructorOptions {
  return {
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Trainyard',
    backgroundColor: '#14171c',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  }
}

/** Whether a URL may be opened in the user's browser: http(s) only. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const protocol = new URL(url).protocol
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

/** Whether an IPC message comes from our own renderer page (file:// in production, the dev server in development). */
export function isTrustedRendererUrl(url: string, devServerUrl: string | undefined): boolean {
  try {
    const parsed = new URL(url)
    if (devServerUrl) return parsed.origin === new URL(devServerUrl).origin
    return parsed.protocol === 'file:' && parsed.pathname.endsWith('/renderer/index.html')
  } catch {
    return false
  }
}
