import { isAbsolute, join, normalize, relative } from 'node:path'

/*
 * Where the Electron renderer comes from and where it may go. Plain functions without `electron`, so the rules
 * are tested in Node: the shell only wires them to its events.
 */

/** The custom scheme the built renderer is served from, instead of `file://` (which would trust any local file). */
export const APP_SCHEME = 'trainyard'

/** The one host of that scheme: `trainyard://app/index.html`. */
export const APP_HOST = 'app'

/** The URL of the renderer's page. */
export const APP_INDEX = `${APP_SCHEME}://${APP_HOST}/index.html`

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The dev server to load the renderer from: `ELECTRON_RENDERER_URL` (set by `electron-vite dev`), honoured only
 * when the app is not packaged and only for an http URL on this machine. A packaged app never loads, or trusts
 * for IPC, a page an environment variable names.
 */
export function devServerUrl(env: NodeJS.ProcessEnv, packaged: boolean): string | undefined {
  const value = env.ELECTRON_RENDERER_URL
  if (packaged || !value) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' && LOOPBACK.has(url.hostname) ? url.href : undefined
  } catch {
    return undefined
  }
}

/** Whether `url` is a page of the app: its own scheme and host, or the dev server's origin in development. */
export function isAppUrl(url: string, devUrl: string | undefined): boolean {
  try {
    const parsed = new URL(url)
    // `new URL` gives a custom scheme the origin "null", so the scheme and host are compared instead.
    if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true
    return devUrl !== undefined && parsed.origin === new URL(devUrl).origin
  } catch {
    return false
  }
}

/**
 * The file of the built renderer that a `trainyard://app/…` request asks for, or undefined for another host, a
 * malformed escape, or a path that would leave `rendererDir` (`..`, encoded or not).
 */
export function rendererFile(requestUrl: string, rendererDir: string): string | undefined {
  let parsed: URL
  let path: string
  try {
    parsed = new URL(requestUrl)
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  if (path.includes('\0')) return undefined
  const file = join(rendererDir, normalize(path === '/' ? '/index.html' : path))
  const inside = relative(rendererDir, file)
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? file : undefined
}

/**
 * Whether a link may be handed to the user's browser (`shell.openExternal`): https, and plain http only to this
 * machine (the demo's Rundeck and Jenkins). Never `file:`, custom schemes or anything an OS handler would run.
 */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))
  } catch {
    return false
  }
}
