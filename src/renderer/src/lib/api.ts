import { TrainyardApi, type TrainyardBridge } from '../../../shared/api/client'
import { webBridge } from './web-bridge'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser served by the web host. */
    trainyard?: TrainyardBridge
  }
}

/** The one client of the contract; the transport is chosen once, here. */
export const api = new TrainyardApi(window.trainyard ?? webBridge())
