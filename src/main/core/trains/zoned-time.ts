/*
 * Wall-clock time in an IANA zone without a date library: Intl.DateTimeFormat tells us the wall
 * clock of any instant; the reverse (the instant of a wall time) is found from the zone's offsets
 * a day either side, which covers every real transition (none are closer than a few weeks apart).
 */

/** A calendar date and a time of day on a wall clock; month is 1–12. */
export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

const MINUTE = 60_000
const DAY = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall clock in `timeZone` at `instant` (seconds dropped). */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  }
}

/** A wall time read as if it were UTC, in ms: the arithmetic form used for offsets. */
export function wallMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)
}

/** Offset of `timeZone` from UTC at `instant`, in ms (positive east of Greenwich). */
export function offsetAt(instant: number, timeZone: string): number {
  const floored = Math.floor(instant / MINUTE) * MINUTE
  return wallMs(wallTimeAt(new Date(floored), timeZone)) - floored
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`.
 * In a gap (spring forward: the wall time never exists) it is the first instant after the gap,
 * i.e. the moment the clocks jump, as cron does for a job scheduled in the skipped hour.
 * In an overlap (fall back: the wall time happens twice) it is the earlier of the two instants.
 * Fields may overflow (hour 24, day 32): they are normalised as `Date.UTC` does.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): Date {
  const target = wallMs(wall)
  const before = offsetAt(target - DAY, timeZone)
  const after = offsetAt(target + DAY, timeZone)
  const candidates = [target - before, target - after]
    .filter((t) => t + offsetAt(t, timeZone) === target)
    .sort((a, b) => a - b)
  const first = candidates[0]
  if (first !== undefined) return new Date(first)
  // A gap: find the first minute whose offset is already the later one.
  let lo = target - after
  let hi = target - before
  while (hi - lo > MINUTE) {
    const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE
    if (offsetAt(mid, timeZone) === after) hi = mid
    else lo = mid
  }
  return new Date(hi)
}

/** Whether `timeZone` is a zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
