import { join } from 'node:path'
import { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from './git-http-server'
import { createRepo, removeDir, runGit, tmpDir, type TestRepo } from './git-repo'

/** A source repository and its bare copy, served by a real `git http-backend` (one per test file). */
export interface ServedRepo {
  work: string
  source: TestRepo
  /** The bare repository the server serves (push the source's changes here). */
  served: string
  server: GitHttpServer
  /** Stops the server and removes everything. */
  close(): Promise<void>
}

/** Builds a source repository with `build`, copies it bare as `<name>.git` and serves it. */
export async function serveRepo(
  build: (source: TestRepo) => void,
  opts: { name?: string; server?: Omit<GitHttpServerOptions, 'root'> } = {},
): Promise<ServedRepo> {
  const work = tmpDir()
  const source = createRepo({ dir: join(work, 'source') })
  build(source)
  const served = join(work, 'served', `${opts.name ?? 'app'}.git`)
  runGit(work, ['clone', '-q', '--bare', source.path, served])
  const server = await startGitHttpServer({ ...opts.server, root: join(work, 'served') })
  return {
    work,
    source,
    served,
    server,
    close: async () => {
      await server.close()
      removeDir(work)
    },
  }
}
