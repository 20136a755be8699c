import { join } from 'node:path'
import { tmpdir } from 'node:os'

/**
 * Playwright's global setup: one demo (history, origins, clones) and one web host for the whole run, shared by every
 * UI spec through `startDemoHost()`. Returns the teardown that stops the host.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  process.env.TRAINYARD_UI_DEMO_DIR ??= join(tmpdir(), `trainyard-ui-demo-${process.pid}`)
  const { launchDemoHost, sweepOldDemos } = await import('./demo')
  sweepOldDemos()
  const host = await launchDemoHost()
  return () => host.stop()
}
