import type { AuthCallback, AuthFailureCallback } from 'isomorphic-git'
import { AppError } from '../../../../shared/errors'

/** Looks a secret up by credential name (the keychain port). */
export type SecretLookup = (name: string) => Promise<string | undefined>

/** isomorphic-git auth hooks for one operation, and whether the server refused what they offered. */
export interface AuthHooks {
  onAuth: AuthCallback
  onAuthFailure: AuthFailureCallback
  readonly refused: boolean
}

/**
 * Auth hooks that answer the server's 401 with the named credential, the GitHub way: username
 * `x-access-token`, the token as password (works for app installation tokens and personal tokens alike).
 * A second 401 cancels the operation instead of retrying, and marks the credential as refused.
 */
export function authHooks(credential: string | undefined, secret: SecretLookup): AuthHooks {
  let refused = false
  return {
    onAuth: async () => (credential === undefined ? undefined : credentialLogin(credential, secret)),
    onAuthFailure: () => {
      refused = true
      return { cancel: true }
    },
    get refused() {
      return refused
    },
  }
}

/** The login a named credential stands for: `x-access-token` and the token; `credential-missing` when it is not set. */
export async function credentialLogin(
  credential: string,
  secret: SecretLookup,
): Promise<{ username: string; password: string }> {
  const token = await secret(credential)
  if (token === undefined || token === '') {
    throw new AppError(
      'credential-missing',
      `Credential ${credential} is not set; set it with \`trainyard credentials set ${credential}\`.`,
      { credential },
    )
  }
  return { username: 'x-access-token', password: token }
}

/** An HTTP basic `Authorization` header value. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
}
