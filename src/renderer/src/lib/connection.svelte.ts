import { onConnection } from './connection'

/** Whether the core still answers: the web host can go away (stopped, crashed) while a page shows its runs. */
export class ConnectionState {
  /** Set when the event stream or a request could not reach the host; cleared when the stream opens again. */
  lost = $state(false)

  constructor() {
    onConnection((lost) => (this.lost = lost))
  }
}

/** The app's single connection state, kept by the transport. */
export const connection = new ConnectionState()
