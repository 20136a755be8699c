import { createRequire } from 'node:module'
import { AppError } from '../../../shared/errors'
import type { SecretStore } from './secret-store'
import { checkCredentialName, checkSecret } from './secret-store'

/** The part of keytar Trainyard uses. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<{ account: string; password: string }[]>
}

/** Keychain service name under which every Trainyard credential is stored. */
export const keychainService = 'Trainyard'

const unavailable =
  'Trainyard cannot reach the system keychain. On Linux, install and unlock a Secret Service keyring ' +
  '(gnome-keyring or KWallet) in your desktop session, then try again. Trainyard never stores secrets on disk instead.'

// keytar is a native CommonJS module: load it only when a secret is first needed, so the rest of the core loads without it.
function loadKeytar(): KeytarModule {
  return createRequire(import.meta.url)('keytar') as KeytarModule
}

/** Options of the keychain store; `load` replaces keytar in tests of the failure paths. */
export interface KeytarStoreOptions {
  service?: string
  load?: () => KeytarModule
  /** How long to wait for the keychain (it may be showing an unlock prompt) before giving up. Default 60 s. */
  timeoutMs?: number
}

/**
 * Secrets in the OS keychain through keytar: service `Trainyard`, account = credential name.
 * Any failure to reach the keychain is `keychain-unavailable`; there is no fallback to disk.
 */
export class KeytarSecretStore implements SecretStore {
  readonly #service: string
  readonly #load: () => KeytarModule
  readonly #timeoutMs: number
  #keytar: KeytarModule | undefined

  constructor(options: KeytarStoreOptions = {}) {
    this.#service = options.service ?? keychainService
    this.#load = options.load ?? loadKeytar
    this.#timeoutMs = options.timeoutMs ?? 60_000
  }

  async #call<T>(operation: (keytar: KeytarModule) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    try {
      this.#keytar ??= this.#load()
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs)
      })
      return await Promise.race([operation(this.#keytar), timeout])
    } catch (error) {
      // Keychain errors describe the D-Bus session, never the secret; keep the reason for the log.
      throw new AppError('keychain-unavailable', unavailable, {
        reason: error instanceof Error ? error.message : String(error),
      })
    } finally {
      clearTimeout(timer)
    }
  }

  async get(name: string): Promise<string | undefined> {
    checkCredentialName(name)
    return (await this.#call((keytar) => keytar.getPassword(this.#service, name))) ?? undefined
  }

  async set(name: string, secret: string): Promise<void> {
    checkCredentialName(name)
    checkSecret(secret)
    await this.#call((keytar) => keytar.setPassword(this.#service, name, secret))
  }

  async delete(name: string): Promise<boolean> {
    checkCredentialName(name)
    return this.#call((keytar) => keytar.deletePassword(this.#service, name))
  }

  async has(name: string): Promise<boolean> {
    return (await this.get(name)) !== undefined
  }

  async names(): Promise<string[]> {
    const found = await this.#call((keytar) => keytar.findCredentials(this.#service))
    return found.map((credential) => credential.account).sort()
  }
}
