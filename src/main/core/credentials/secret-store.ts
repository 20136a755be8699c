import { AppError } from '../../../shared/errors'

/** Where secrets live, keyed by credential name. Values go in and come out only to the code that calls an endpoint. */
export interface SecretStore {
  /** The secret stored under `name`, or undefined if none is set. */
  get(name: string): Promise<string | undefined>
  /** Stores (or replaces) the secret for `name`. */
  set(name: string, secret: string): Promise<void>
  /** Removes the secret for `name`; whether there was one. */
  delete(name: string): Promise<boolean>
  /** Whether a secret is set for `name`, without handing out its value. */
  has(name: string): Promise<boolean>
  /** Names that have a secret stored, sorted. */
  names(): Promise<string[]>
}

/** Throws `invalid-input` for a credential name a keychain or a workspace file could not hold. */
export function checkCredentialName(name: string): void {
  if (name.trim() === '' || name.length > 200 || /[\r\n\t]/.test(name)) {
    throw new AppError('invalid-input', 'A credential name is one line of text, such as "rundeck-token".')
  }
}

/** Throws `invalid-input` for an empty secret (clearing a credential is `delete`). */
export function checkSecret(secret: string): void {
  if (secret === '')
    throw new AppError('invalid-input', 'The secret is empty; to remove a credential, delete it instead.')
}
