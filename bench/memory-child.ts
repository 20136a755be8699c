import { appPaths } from '../src/main/core/app-paths'
import { createNodeAppState } from '../src/main/core/app-state/node-app-state'
import { createCockpit } from '../src/main/core/create-cockpit'
import { MemorySecretStore } from '../src/main/core/credentials/memory-store'

/*
 * One step of the memory bench in a process of its own (its peak RSS is the step's): opens the workspace
 * (`TRAINYARD_HOME` holds its clones and caches), then runs `open|fetch|matrix|where|graph`. Prints one JSON line.
 */

const [step = '', file = '', sha = ''] = process.argv.slice(2)

async function main(): Promise<Record<string, unknown>> {
  const paths = appPaths()
  const cockpit = await createCockpit({
    paths,
    appState: createNodeAppState({ cwd: paths.data, configName: 'app-state' }),
    secrets: new MemorySecretStore(),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  })
  const start = performance.now()
  await cockpit.invoke('workspace.open', { file })
  let detail: unknown
  switch (step) {
    case 'open':
      // What opening a workspace does before anything is asked: the clones' states, each service's index loaded.
      detail = (await cockpit.invoke('repos.status', {})).map((s) => s.commits)
      break
    case 'fetch':
      detail = (await cockpit.invoke('repos.fetch', {})).map((s) => `${s.state} ${s.commits}`)
      break
    case 'matrix':
      detail = (await cockpit.invoke('environments.matrix', { refresh: true })).cells.map((c) => c.behindPrevious)
      break
    case 'where':
      await cockpit.invoke('environments.matrix', { refresh: true })
      detail = (await cockpit.invoke('environments.where', { query: sha })).cells.map((c) => c.state)
      break
    case 'graph':
      detail = (await cockpit.invoke('graph.page', { service: 'big', offset: 0, limit: 200 })).rows.length
      break
    default:
      throw new Error(`unknown step ${step}`)
  }
  return { ms: performance.now() - start, detail }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
    process.exit(0)
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
