/** The `{base}` of an endpoint URL without a trailing slash. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '')
}

/** The origin of a URL for messages (no path, query or user info). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'an invalid URL'
  }
}

/** A URL as messages show it: origin and path, without user info, query or fragment (they may carry a secret). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`.replace(/\/+$/, '')
  } catch {
    return '(invalid URL)'
  }
}

/** Whether two URLs share scheme, host and port. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

/**
 * A link from a server Trainyard does not control, kept only when it is http(s): a person clicks it, so
 * `javascript:`, `data:` and the like never pass.
 */
export function httpLink(url: unknown): string | undefined {
  if (typeof url !== 'string' || !URL.canParse(url)) return undefined
  const protocol = new URL(url).protocol
  return protocol === 'https:' || protocol === 'http:' ? url : undefined
}
