import { isScalar } from 'yaml'
import type { Weekday } from '../../../shared/models/workspace'
import { suggestion } from './suggest'
import type { Field, ReadContext } from './yaml-reader'
import { readMap, readString, report } from './yaml-reader'

/** Weekdays as the file writes them. */
export const weekdays: readonly Weekday[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]

/** Whether `HH:MM` is a time of day; `24:00` is allowed and means the end of the day. */
export function isTimeOfDay(text: string): boolean {
  const match = /^(\d{2}):(\d{2})$/.exec(text)
  if (!match) return false
  const hours = Number(match[1])
  const minutes = Number(match[2])
  return (hours < 24 && minutes < 60) || (hours === 24 && minutes === 0)
}

/** Whether the runtime knows an IANA time zone such as `Europe/London`. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone.includes('/') || zone === 'UTC'
  } catch {
    return false
  }
}

/** A day and time of the week: `friday 10:00` or `{ day: friday, time: "10:00" }`. */
export function readMoment(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
): { day: Weekday; time: string } | undefined {
  if (!field) return undefined
  let dayText: string | undefined
  let timeText: string | undefined
  let dayAt: Field = field
  let timeAt: Field = field
  if (isScalar(field.value)) {
    // `thursday 24:00` is shorthand for `{ day: thursday, time: "24:00" }`.
    const text = readString(ctx, field, what)
    ;[dayText, timeText] = text?.trim().split(/\s+/) ?? []
    if (text !== undefined && timeText === undefined)
      report(ctx, field, `${what} needs a day and a time`, 'write e.g. `friday 10:00`')
  } else {
    const fields = readMap(ctx, field.value, field, { what, keys: ['day', 'time'], required: ['day', 'time'] })
    dayAt = fields?.get('day') ?? field
    timeAt = fields?.get('time') ?? field
    dayText = readString(ctx, fields?.get('day'), `the day of ${what}`)
    timeText = readString(ctx, fields?.get('time'), `the time of ${what}`)
  }
  const day = dayText?.toLowerCase()
  if (day !== undefined && !(weekdays as readonly string[]).includes(day)) {
    report(ctx, dayAt, `unknown weekday "${dayText}" in ${what}`, suggestion(day, weekdays))
  }
  if (timeText !== undefined && !isTimeOfDay(timeText)) {
    report(
      ctx,
      timeAt,
      `"${timeText}" in ${what} is not a time of day`,
      'write 24-hour `HH:MM` in quotes, e.g. `"10:00"`; `"24:00"` means midnight at the end of the day',
    )
  }
  if (
    day === undefined ||
    timeText === undefined ||
    !(weekdays as readonly string[]).includes(day) ||
    !isTimeOfDay(timeText)
  )
    return undefined
  return { day: day as Weekday, time: timeText }
}
