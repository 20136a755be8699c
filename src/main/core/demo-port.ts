/** A started demo as the core sees it: its workspace file, its in-memory credentials, and how to stop it. */
export interface StartedDemo {
  file: string
  /** Credential name → secret of the demo's own servers; kept in memory, never written anywhere. */
  secrets: ReadonlyMap<string, string>
  close(): Promise<void>
}

/**
 * The built-in demo, passed in by each transport (`src/main/demo/demo-port.ts`) so the core never imports the demo
 * or its simulators. `start` prepares the demo in `dir` (again from scratch with `reset`) and starts its servers.
 */
export interface DemoPort {
  start(dir: string, options: { reset: boolean; now: Date }): Promise<StartedDemo>
}
