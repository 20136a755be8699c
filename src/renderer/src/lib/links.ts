/**
 * A link from another system (a provider's run page) as an `href`, only when it is an absolute http(s) URL:
 * `javascript:`, `data:` or `file:` from a compromised or misconfigured provider never becomes clickable.
 */
export function httpLink(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    // Parsed without a base, so a relative or protocol-relative text is refused rather than resolved.
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}
