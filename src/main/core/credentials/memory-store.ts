import type { SecretStore } from './secret-store'
import { checkCredentialName, checkSecret } from './secret-store'

/** A SecretStore held in memory, for tests and throwaway sessions; it never touches the disk. */
export class MemorySecretStore implements SecretStore {
  readonly #secrets = new Map<string, string>()

  constructor(initial: Record<string, string> = {}) {
    for (const [name, secret] of Object.entries(initial)) this.#secrets.set(name, secret)
  }

  get(name: string): Promise<string | undefined> {
    return Promise.resolve(this.#secrets.get(name))
  }

  set(name: string, secret: string): Promise<void> {
    // A throw inside the executor becomes a rejection, as with the keychain store.
    return new Promise((resolve) => {
      checkCredentialName(name)
      checkSecret(secret)
      this.#secrets.set(name, secret)
      resolve()
    })
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.#secrets.delete(name))
  }

  has(name: string): Promise<boolean> {
    return Promise.resolve(this.#secrets.has(name))
  }

  names(): Promise<string[]> {
    return Promise.resolve([...this.#secrets.keys()].sort())
  }
}
