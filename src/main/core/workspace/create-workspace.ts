import { randomBytes } from 'node:crypto'
import { link, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import type { WorkspaceProblem } from '../../../shared/api/views'
import { AppError } from '../../../shared/errors'
import type { WorkspaceDraft } from '../../../shared/models/workspace'
import type { SecretStore } from '../credentials/secret-store'
import { checkCredentialName, checkSecret } from '../credentials/secret-store'
import { credentialNames } from './credential-names'
import { parseWorkspace } from './parse-workspace'
import { stringifyWorkspace } from '../../../shared/workspace/stringify-workspace'
import { controlCharacterAt, isWorkspaceFile, WORKSPACE_FILE } from './draft-checks'

/** What the "Create a workspace" form sends: where, the draft, and the secrets typed for its credentials. */
export interface WorkspaceCreation {
  file: string
  draft: WorkspaceDraft
  secrets: { name: string; secret: string }[]
  overwrite?: boolean
}

/** What creating found: the absolute path, and the draft's problems (the file is written only when there are none). */
export interface WorkspaceCreated {
  path: string
  problems: WorkspaceProblem[]
}

function draftText(draft: WorkspaceDraft): string {
  try {
    return stringifyWorkspace(draft)
  } catch {
    // The draft crossed IPC as any object: a missing list or map is the form's bug, said plainly.
    throw new AppError(
      'invalid-input',
      'The workspace draft is incomplete: it needs a name, endpoints, services, environments and regions.',
    )
  }
}

/** Writes next to the target then moves it into place, so a reader never sees half a file. */
async function writeAtomically(path: string, text: string, overwrite: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' })
  try {
    if (overwrite) {
      await rename(temp, path)
      return
    }
    try {
      // link() refuses an existing target atomically, unlike a stat-then-rename.
      await link(temp, path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') throw exists(path)
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error
      // A filesystem without hard links: the small race of a check is the best on offer.
      if (await present(path)) throw exists(path)
      await rename(temp, path)
    }
  } finally {
    await unlink(temp).catch(() => undefined)
  }
}

async function present(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

function exists(path: string): AppError {
  return new AppError(
    'invalid-input',
    `There is already a file at ${path}; choose another path or allow replacing it.`,
    { file: path },
  )
}

function writeFailed(path: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
  return new AppError(
    'invalid-input',
    `The workspace file cannot be written at ${path} (${code}); check the folder and its permissions.`,
    {
      file: path,
    },
  )
}

/**
 * Validates a draft, writes it as YAML and stores its secrets in the keychain, in that order.
 * An invalid draft writes nothing and comes back with its problems. If a secret cannot be stored the
 * file is kept (it holds no secret and is valid) and `keychain-unavailable` (or the store's code) names
 * the credentials left to set; creating again with `overwrite` or setting them in Settings finishes the job.
 */
export async function createWorkspace(input: WorkspaceCreation, store: SecretStore): Promise<WorkspaceCreated> {
  if (typeof input.file !== 'string' || input.file.trim() === '') {
    throw new AppError('invalid-input', 'Choose where to write the workspace file.')
  }
  // The app's working directory means nothing to the person typing, so a path is full or starts at ~.
  const typed = input.file.trim().replace(/^~(?=$|\/)/, homedir())
  if (!isAbsolute(typed))
    throw new AppError(
      'invalid-input',
      `Give the full path of the workspace file (e.g. ${join(homedir(), 'team.trainyard.yaml')}), not "${input.file.trim()}".`,
    )
  const path = resolve(typed)
  if (!WORKSPACE_FILE.test(basename(path)))
    throw new AppError(
      'invalid-input',
      `A workspace file's name ends in .trainyard.yaml (e.g. ${join(dirname(path), 'team.trainyard.yaml')}); "${basename(path)}" does not.`,
      { file: path },
    )
  const control = controlCharacterAt(input.draft, '')
  if (control !== undefined)
    throw new AppError(
      'invalid-input',
      `\`${control}\` holds a line break or another control character; names and values are one line of plain text.`,
      { field: control },
    )
  const text = draftText(input.draft)
  const parsed = parseWorkspace(text, path)
  if (parsed.workspace === null) return { path, problems: parsed.problems }
  const used = new Set(credentialNames(parsed.workspace).map((use) => use.name))
  for (const { name, secret } of input.secrets) {
    checkCredentialName(name)
    checkSecret(secret)
    if (!used.has(name)) throw new AppError('invalid-input', `The workspace does not use a credential named "${name}".`)
  }
  // Replacing is for a workspace written before, never for any file the path happens to name.
  const replace = input.overwrite === true && (await present(path))
  if (replace && !(await isWorkspaceFile(path).catch(() => false)))
    throw new AppError(
      'invalid-input',
      `${path} is not a Trainyard workspace, so it is not replaced; choose another path.`,
      { file: path },
    )
  try {
    await writeAtomically(path, text, input.overwrite === true)
  } catch (error) {
    throw writeFailed(path, error)
  }
  const failed: { name: string; error: unknown }[] = []
  for (const { name, secret } of input.secrets) {
    try {
      await store.set(name, secret)
    } catch (error) {
      failed.push({ name, error })
    }
  }
  const first = failed[0]
  if (first !== undefined) {
    const names = failed.map((f) => `"${f.name}"`).join(', ')
    const code = first.error instanceof AppError ? first.error.code : 'keychain-unavailable'
    const why = first.error instanceof AppError ? ` (${first.error.message})` : ''
    throw new AppError(
      code,
      `The workspace file was written at ${path}, but the keychain did not take the secret of ${names}${why}. Set ${failed.length === 1 ? 'it' : 'them'} in Settings → Credentials once the keychain works.`,
      { file: path, failed: failed.map((f) => f.name) },
    )
  }
  return { path, problems: [] }
}
