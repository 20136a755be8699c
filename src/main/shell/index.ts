import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron'
import { join } from 'node:path'
import { createCockpit } from '../core/create-cockpit'
import { demoPort } from '../demo/demo-port'
import type { Cockpit } from '../core/cockpit'
import { stderrLogger } from '../core/logger'
import { appPaths } from '../core/app-paths'
import { bindIpc } from './ipc'
import { menuActions, menuTemplate } from './menu'
import { DesktopNotifier } from './notifier'
import { shellAppState } from './app-state'
import { TrayIcon } from './tray'
import { registerRendererScheme, serveRenderer } from './renderer-protocol'
import { APP_INDEX, devServerUrl as rendererDevServer, isAppUrl } from './renderer-url'
import { isExternalLinkAllowed, isTrustedRendererUrl, mainWindowOptions, SHELL_CSP } from './window-options'

// The dev server only in development: a packaged app ignores ELECTRON_RENDERER_URL.
const devServerUrl = rendererDevServer(process.env, app.isPackaged)
let window: BrowserWindow | undefined
let tray: TrayIcon | undefined
let cockpit: Cockpit | undefined

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => showWindow())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => showWindow())
  app.on('before-quit', () => {
    void cockpit?.close()
    tray?.destroy()
  })
  app.on('web-contents-created', (_event, contents) => {
    // Every frame stays on the app's own pages: no navigation or redirect elsewhere, no webview, no new
    // window; https links (and the demo's loopback http ones) go to the user's browser instead.
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLinkAllowed(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
  registerRendererScheme()
  void app.whenReady().then(start)
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [SHELL_CSP] } })
  })

  serveRenderer(join(import.meta.dirname, '../renderer'))
  const state = shellAppState()
  const resources = join(app.getAppPath(), 'resources')
  tray = new TrayIcon(resources, openRun, showWindow)
  cockpit = await createCockpit({
    paths: appPaths(),
    appState: state.port,
    notifier: new DesktopNotifier(() => tray, openRun),
    logger: stderrLogger(),
    demo: demoPort,
  })
  bindIpc(
    ipcMain,
    cockpit,
    (url) => isTrustedRendererUrl(url, devServerUrl),
    () => window?.webContents,
  )
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        menuActions(cockpit.events, () => void openWorkspaceDialog()),
        process.platform === 'darwin',
      ),
    ),
  )
  createWindow(state.bounds(), (bounds) => state.saveBounds(bounds))
}

function createWindow(
  bounds: ReturnType<ReturnType<typeof shellAppState>['bounds']>,
  save: (b: typeof bounds) => void,
): void {
  window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), bounds))
  if (bounds.maximized) window.maximize()
  window.once('ready-to-show', () => window?.show())
  window.on('close', () => {
    if (!window) return
    save({ ...window.getNormalBounds(), maximized: window.isMaximized() })
  })
  void window.loadURL(devServerUrl ?? APP_INDEX)
}

function showWindow(): void {
  if (!window) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

function openRun(runId: string): void {
  showWindow()
  cockpit?.events.emit('app.requested', { action: 'open-run', runId })
}

async function openWorkspaceDialog(): Promise<void> {
  if (!window || !cockpit) return
  const result = await dialog.showOpenDialog(window, {
    title: 'Open a Trainyard workspace',
    filters: [{ name: 'Trainyard workspace', extensions: ['yaml', 'yml'] }],
    properties: ['openFile'],
  })
  const file = result.filePaths[0]
  if (!result.canceled && file) await cockpit.dispatch('workspace.open', { file })
}
