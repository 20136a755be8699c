/** "3 h ago", "2 d ago": a short age for a past ISO time. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return ''
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000)
  if (seconds < 90) return `${Math.round(seconds)} s ago`
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`
  if (seconds < 129_600) return `${Math.round(seconds / 3600)} h ago`
  return `${Math.round(seconds / 86_400)} d ago`
}

/** A short SHA. */
export function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '-'
}
