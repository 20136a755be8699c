import type { CredentialState } from '../../../shared/api/views'
import type { SecretStore } from './secret-store'

/**
 * What the UI may know of each credential: set, not set, or set but refused by an endpoint since it was last set.
 * It records names only, never values.
 */
export class CredentialStates {
  readonly #failed = new Set<string>()
  readonly #store: SecretStore

  constructor(store: SecretStore) {
    this.#store = store
  }

  /** Records that an endpoint answered auth-failed with this credential. */
  checkFailed(name: string): void {
    this.#failed.add(name)
  }

  /** Records that a call with this credential succeeded, or that it was set or deleted anew. */
  clear(name: string): void {
    this.#failed.delete(name)
  }

  /** The state of one credential. */
  async state(name: string, usedBy: string[] = []): Promise<CredentialState> {
    const set = await this.#store.has(name)
    return { name, usedBy, state: !set ? 'not-set' : this.#failed.has(name) ? 'check-failed' : 'set' }
  }

  /** States of the credentials a workspace names (see `credentialNames`). */
  list(credentials: { name: string; usedBy: string[] }[]): Promise<CredentialState[]> {
    return Promise.all(credentials.map((credential) => this.state(credential.name, credential.usedBy)))
  }

  /** Stores a secret and forgets any earlier failure. */
  async set(name: string, secret: string, usedBy: string[] = []): Promise<CredentialState> {
    await this.#store.set(name, secret)
    this.clear(name)
    return this.state(name, usedBy)
  }

  /** Deletes a secret and forgets any earlier failure. */
  async delete(name: string, usedBy: string[] = []): Promise<CredentialState> {
    await this.#store.delete(name)
    this.clear(name)
    return this.state(name, usedBy)
  }
}
