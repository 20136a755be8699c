import type { DemoPort } from '../core/demo-port'
import { startDemo } from './demo'

/** The demo as the core's port: every transport (web host, CLI, shell) passes this to `createCockpit`. */
export const demoPort: DemoPort = {
  start: async (dir, options) => {
    const demo = await startDemo(dir, options)
    return { file: demo.file, secrets: demo.servers.secrets, close: () => demo.close() }
  },
}
