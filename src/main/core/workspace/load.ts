import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { WorkspaceParse } from './parse-workspace'
import { parseWorkspace } from './parse-workspace'

/** Reads and parses a workspace file; a missing or unreadable file is a problem, not a throw. */
export async function loadWorkspace(file: string): Promise<WorkspaceParse> {
  const path = resolve(file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
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
    return { workspace: null, problems: [{ file: path, line: 1, column: 1, message, hint }] }
  }
  return parseWorkspace(text, path)
}
