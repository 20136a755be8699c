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

const formats = new Map<string, Intl.DateTimeFormat>()

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formats.set(timeZone, format)
  }
  return format
}

/** This computer's time zone (IANA name). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

/**
 * The app's one date-time format, with the date always: "Fri 11 Dec 2026, 00:00", on the wall clock of
 * `timeZone` (this computer's by default). 24-hour, so "thursday 24:00" reads as the Friday's 00:00 it is.
 */
export function dateTime(iso: string, timeZone: string = localTimeZone()): string {
  const parts = formatIn(timeZone).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}`
}

/** The date alone in the same format, "Fri 11 Dec 2026", on the wall clock of `timeZone`. */
export function dateOnly(iso: string, timeZone: string = localTimeZone()): string {
  return dateTime(iso, timeZone).replace(/, \d{2}:\d{2}$/, '')
}

/**
 * An instant of a schedule kept in `timeZone` (a train's cut or deploy): the date and time there, named by the
 * zone, and this computer's date and time as `local` when its wall clock reads differently.
 */
export function zonedDateTime(
  iso: string,
  timeZone: string,
  local: string = localTimeZone(),
): { text: string; local?: string } {
  const there = dateTime(iso, timeZone)
  const here = dateTime(iso, local)
  return here === there
    ? { text: `${there} ${timeZone}` }
    : { text: `${there} ${timeZone}`, local: `${here} your time` }
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
