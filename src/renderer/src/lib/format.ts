import { toErrorData, type AppErrorData } from '../../../shared/errors'

/** How long ago an instant was, in a desktop tool's short words ("now", "12 min", "5 h", "3 d"). */
export function formatAge(iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 60_000))
  if (minutes < 1) return 'now'
  if (minutes < 60) return `${minutes} min`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h`
  return `${Math.round(hours / 24)} d`
}

/** How long ago an instant was, as a phrase: "just now", "12 min ago", "3 d ago". */
export function formatAgo(iso: string, now: Date = new Date()): string {
  const age = formatAge(iso, now)
  return age === 'now' ? 'just now' : `${age} ago`
}

const instantFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * An instant for people, in the one format of the app: date and 24-hour time ("4 Dec 2026, 14:01" in the
 * reader's locale), in the local time zone or in `timeZone` (a train schedule's).
 */
export function formatInstant(iso: string, timeZone?: string): string {
  const key = timeZone ?? ''
  let format = instantFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(timeZone ? { timeZone } : {}),
    })
    instantFormats.set(key, format)
  }
  return format.format(new Date(iso))
}

/** A local time of day with seconds ("14:01:05"), for the "as of" of a board that refreshes within minutes. */
export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
}

/** The seven-character form of a SHA people read and type. */
export function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '—'
}

/** Anything thrown by `api.invoke`, as the error data the UI shows. */
export function errorOf(error: unknown): AppErrorData {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message, details } = error as AppErrorData
    return details === undefined ? { code, message } : { code, message, details }
  }
  return toErrorData(error)
}

/** "1 commit" / "3 commits". */
export function commits(n: number): string {
  return n === 1 ? '1 commit' : `${n} commits`
}
