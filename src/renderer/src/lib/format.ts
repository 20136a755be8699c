import { toErrorData, type AppErrorData } from '../../../shared/errors'

/** How long ago an ISO time was, in a desktop tool's short words ("3 d", "5 h", "12 min"). */
export function age(iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 60_000))
  if (minutes < 1) return 'now'
  if (minutes < 60) return `${minutes} min`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h`
  return `${Math.round(hours / 24)} d`
}

/** A local date and time for people, e.g. "21 Nov, 14:01". */
export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
}

/** A local time of day, e.g. "14:01:05". */
export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** The seven-character form of a SHA people read and type. */
export function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '—'
}

/** Anything thrown by `api.invoke`, as the error data the UI shows. */
export function errorOf(error: unknown): AppErrorData {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    return { code: (error as AppErrorData).code, message: (error as AppErrorData).message }
  }
  return toErrorData(error)
}

/** "1 commit" / "3 commits". */
export function commits(n: number): string {
  return n === 1 ? '1 commit' : `${n} commits`
}
