import type { BrowserWindowConstructorOptions } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../host/security'
import { isAppUrl } from './renderer-url'

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

export { isExternalLinkAllowed } from './renderer-url'

/** Whether an IPC message comes from our own renderer page: the app's scheme, or the dev server in development. */
export function isTrustedRendererUrl(url: string, devServerUrl: string | undefined): boolean {
  return isAppUrl(url, devServerUrl)
}
