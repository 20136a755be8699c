import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { WorkspaceParse } from './parse-workspace'
import { parseWorkspace } from './parse-workspace'
import { MAX_WORKSPACE_BYTES } from './yaml-limits'

function problem(path: string, message: string, hint: string): WorkspaceParse {
  return { workspace: null, problems: [{ file: path, line: 1, column: 1, message, hint }] }
}

/**
 * Reads and parses a workspace file; a missing or unreadable file is a problem, not a throw. Reads at most one byte
 * past the size limit, and only regular files: a FIFO or /dev/zero would otherwise be read forever.
 */
export async function loadWorkspace(file: string): Promise<WorkspaceParse> {
  const path = resolve(file)
  let text: string
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer; it is then refused as not a file.
    const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    try {
      const info = await handle.stat()
      if (info.isDirectory())
        return problem(
          path,
          `${path} is a folder, not a workspace file`,
          'check the path, or create a workspace from the start screen',
        )
      if (!info.isFile())
        return problem(path, `${path} is not a regular file`, 'give the path of the workspace file itself')
      const buffer = Buffer.alloc(Math.min(info.size, MAX_WORKSPACE_BYTES) + 1)
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      if (bytesRead > MAX_WORKSPACE_BYTES) {
        return problem(
          path,
          `the workspace file is larger than ${MAX_WORKSPACE_BYTES / (1 << 20)} MiB, the most Trainyard reads`,
          'check that this is the workspace file; a workspace holds services, environments and endpoints, not data',
        )
      }
      text = buffer.subarray(0, bytesRead).toString('utf8')
    } finally {
      await handle.close()
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const message =
      code === 'ENOENT'
        ? `there is no workspace file at ${path}`
        : code === 'EISDIR'
          ? `${path} is a folder, not a workspace file`
          : `the workspace file ${path} cannot be read (${code ?? 'unknown error'})`
    const hint =
      code === 'ENOENT' || code === 'EISDIR'
        ? 'check the path, or create a workspace from the start screen'
        : 'check the file permissions'
    return problem(path, message, hint)
  }
  return parseWorkspace(text, path)
}
