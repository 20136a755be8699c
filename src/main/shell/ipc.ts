import type { IpcMain, WebContents } from 'electron'
import { commandChannels } from '../../shared/api/channels'
import type { Cockpit } from '../core/cockpit'

/**
 * Binds every command channel with `ipcMain.handle` (sender frame checked, input validated by the cockpit,
 * reply an Outcome) and forwards every core event to the window.
 */
export function bindIpc(
  ipcMain: IpcMain,
  cockpit: Cockpit,
  isTrusted: (frameUrl: string) => boolean,
  target: () => WebContents | undefined,
): () => void {
  for (const channel of commandChannels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? ''
      if (!isTrusted(frameUrl))
        return { ok: false, error: { code: 'forbidden', message: 'This page may not talk to Trainyard.' } }
      return cockpit.dispatch(channel, input)
    })
  }
  const stop = cockpit.events.listen((name, payload) => {
    const contents = target()
    if (contents && !contents.isDestroyed()) contents.send('trainyard:event', name, payload)
  })
  return () => {
    stop()
    for (const channel of commandChannels) ipcMain.removeHandler(channel)
  }
}
