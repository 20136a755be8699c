import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { followMovedGitServer } from './clones-follow'
import type { DemoFacts } from './facts'
import { prepareDemo } from './prepare'
import { startDemoServers, type DemoServers } from './servers'
import { demoWorkspaceYaml } from './workspace-file'

/** A running demo: its workspace file, servers and in-memory credentials. */
export interface RunningDemo {
  dir: string
  file: string
  facts: DemoFacts
  servers: DemoServers
  close(): Promise<void>
}

/** Where the demo keeps its workspace state (clones, journal, manual cuts), apart from any real workspace's. */
export function demoStateDir(dir: string): string {
  return join(dir, 'state')
}

/** The workspace file of a demo directory. */
export function demoWorkspaceFile(dir: string): string {
  return join(dir, 'trainyard.yaml')
}

/** Prepares the demo in `dir` (made once, or again with `reset`), starts its servers and writes its workspace file. */
export async function startDemo(dir: string, options: { now?: Date; reset?: boolean } = {}): Promise<RunningDemo> {
  const facts = await prepareDemo(dir, options.now ?? new Date(), options.reset)
  const servers = await startDemoServers(dir, facts)
  await followMovedGitServer(join(demoStateDir(dir), 'clones'), facts.services, servers.git.url)
  const file = demoWorkspaceFile(dir)
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, demoWorkspaceYaml(servers))
  return { dir, file, facts, servers, close: () => servers.close() }
}
