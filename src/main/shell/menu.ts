import type { MenuItemConstructorOptions } from 'electron'
import { VIEWS, type ViewId } from '../../shared/api/views'
import type { EventSink } from '../core/events'

/** Callbacks the native menu triggers. */
export interface MenuActions {
  openWorkspace(): void
  goTo(view: ViewId): void
  findCommit(): void
  refresh(): void
}

/** The menu's actions: opening a workspace is the shell's own dialog; the rest are `app.requested` for the window. */
export function menuActions(events: EventSink, openWorkspace: () => void): MenuActions {
  return {
    openWorkspace,
    goTo: (view) => events.emit('app.requested', { action: 'go-to', view }),
    findCommit: () => events.emit('app.requested', { action: 'find-commit' }),
    refresh: () => events.emit('app.requested', { action: 'refresh' }),
  }
}

/** The native menu with keyboard accelerators. */
export function menuTemplate(actions: MenuActions, isMac: boolean): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
        { label: 'Refresh', accelerator: 'CmdOrCtrl+R', click: () => actions.refresh() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...VIEWS.map((view) => ({
          label: view.label,
          accelerator: `CmdOrCtrl+${view.key}`,
          click: () => actions.goTo(view.id),
        })),
        { type: 'separator' },
        { label: 'Where Is My Commit…', accelerator: 'CmdOrCtrl+K', click: () => actions.findCommit() },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ]
}
