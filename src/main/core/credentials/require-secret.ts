import { AppError } from '../../../shared/errors'

/** A secret lookup by credential name (the keychain, or the demo's in-memory credentials first). */
export type SecretLookup = (name: string) => Promise<string | undefined>

/** The secret of a named credential; a missing or empty one is `credential-missing`, naming the credential only. */
export async function requireSecret(secret: SecretLookup, credential: string, usedBy: string): Promise<string> {
  const value = await secret(credential)
  if (value === undefined || value === '') {
    throw new AppError(
      'credential-missing',
      `No secret is stored for credential "${credential}" used by ${usedBy}; set it in Settings → Credentials or with \`trainyard credentials set ${credential}\`.`,
      { credential },
    )
  }
  return value
}
