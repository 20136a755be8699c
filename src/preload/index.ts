import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

// The renderer gets exactly two functions and nothing else: no ipcRenderer, no Node.
contextBridge.exposeInMainWorld('trainyard', {
  invoke: (channel: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(channel, input),
  subscribe: (event: string, listener: (payload: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on('trainyard:event', handler)
    return () => {
      ipcRenderer.removeListener('trainyard:event', handler)
    }
  },
})
