import { AppError } from '../../../shared/errors'

/** Most redirects one request follows before it fails. */
export const MAX_REDIRECTS = 5

/** Headers that carry a credential: never sent to another origin than the one the workspace named. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-rundeck-auth-token', 'jenkins-crumb']

/**
 * Where a redirect leads and what may be sent there. The one rule for every HTTP client of Trainyard (git,
 * providers, probes, endpoint checks): a redirect to another origin (scheme, host or port) loses every
 * credential header and any user-info; https never downgrades to http; after `MAX_REDIRECTS` hops it fails.
 */
export function followRedirect(
  from: string | URL,
  location: string,
  headers: Readonly<Record<string, string>>,
  hops: number,
): { url: URL; headers: Record<string, string> } {
  const origin = new URL(from)
  if (hops >= MAX_REDIRECTS)
    throw new AppError('bad-response', `${origin.host} redirected more than ${MAX_REDIRECTS} times; check the URL.`)
  let url: URL
  try {
    url = new URL(location, origin)
  } catch {
    throw new AppError('bad-response', `${origin.host} redirected to an address that is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError(
      'bad-response',
      `${origin.host} redirected to a ${url.protocol} address; only http(s) is followed.`,
    )
  if (origin.protocol === 'https:' && url.protocol === 'http:')
    throw new AppError(
      'bad-response',
      `${origin.host} redirected from https to plain http (${url.host}); Trainyard never downgrades a connection.`,
    )
  if (url.origin === origin.origin) return { url, headers: { ...headers } }
  url.username = ''
  url.password = ''
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())),
  )
  return { url, headers: kept }
}
