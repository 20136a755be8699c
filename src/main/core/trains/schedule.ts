import { AppError } from '../../../shared/errors'
import type { TrainSettings, Weekday } from '../../../shared/models/workspace'
import { instantOfWallTime, isKnownTimeZone, wallTimeAt, type WallTime } from './zoned-time'

/*
 * Weeks are counted from the anchor: week 0 is the cut nearest `anchor.date` (whether the date is the day the
 * cut is written on or the day it happens); week 1 the next cut, week -1 the one before. A week runs Monday to
 * Sunday by the written day: "thursday 24:00" belongs to its Thursday's week although it happens on Friday 00:00.
 */

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
const DAY = 86_400_000
const WEEK = 7 * DAY

/** The weekly schedule of a workspace's trains, all instants in UTC. */
export interface TrainSchedule {
  readonly timeZone: string
  /** The cut of week `week` (0 = the anchor's cut). */
  cutOf(week: number): Date
  /** The week whose cut is `instant`, or undefined when no cut happens then. */
  weekOfCut(instant: Date): number | undefined
  /** The cut of the week (Monday–Sunday, in the schedule's zone) that holds the calendar date `date` (YYYY-MM-DD). */
  cutOfWeekHolding(date: string): Date
  /** The week of the last cut at or before `now` (a cut exactly at `now` has happened). */
  weekAt(now: Date): number
  /** Cuts `c` with `from < c ≤ to`, oldest first. */
  cutsBetween(from: Date, to: Date): Date[]
  /** The first cut strictly after `now`. */
  nextCut(now: Date): Date
  /** The last cut at or before `now`. */
  previousCut(now: Date): Date
  /** The first deploy slot at or after `cut`. */
  deployAfter(cut: Date): Date
  /** `days` calendar days after `from` on the zone's wall clock (so 7 days is the same wall time across a clock change). */
  addDays(from: Date, days: number): Date
}

/** Parses "HH:MM" (00:00–24:00) into minutes after midnight. */
export function parseClock(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim())
  const hours = Number(m?.[1])
  const minutes = Number(m?.[2])
  if (m === null || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new AppError('invalid-workspace', `"${text}" is not a time of day; write HH:MM between 00:00 and 24:00.`)
  }
  return hours * 60 + minutes
}

function dayIndex(day: Weekday): number {
  const i = WEEKDAYS.indexOf(day)
  if (i < 0) throw new AppError('invalid-workspace', `"${String(day)}" is not a weekday; write monday … sunday.`)
  return i
}

function parseDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  const ms = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (Number.isNaN(ms)) throw new AppError('invalid-workspace', `"${text}" is not a date; write YYYY-MM-DD.`)
  return ms
}

/** Monday of the week holding a calendar day, as a UTC-midnight ms value (the calendar, not an instant). */
function mondayOf(dayMs: number): number {
  const weekday = (new Date(dayMs).getUTCDay() + 6) % 7
  return dayMs - weekday * DAY
}

function calendarDay(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day)
}

function wallOf(dayMs: number, minutes: number): WallTime {
  const d = new Date(dayMs)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: minutes }
}

/** Builds the schedule from the workspace's train settings; throws `invalid-workspace` on a bad zone, day or time. */
export function trainSchedule(settings: Pick<TrainSettings, 'timezone' | 'cut' | 'deploy' | 'anchor'>): TrainSchedule {
  const timeZone = settings.timezone
  if (!isKnownTimeZone(timeZone)) throw new AppError('invalid-workspace', `Unknown time zone "${timeZone}".`)
  const cutDay = dayIndex(settings.cut.day)
  const cutMinutes = parseClock(settings.cut.time)
  const deployDay = dayIndex(settings.deploy.day)
  const deployMinutes = parseClock(settings.deploy.time)
  const anchorDate = parseDate(settings.anchor.date)
  // Week 0 is the cut nearest the anchor date, by the written day or the day it happens on ("sunday 24:00" is
  // Monday): people write either date.
  const distance = (monday: number): number => {
    const written = monday + cutDay * DAY
    const happens = written + Math.floor(cutMinutes / 1440) * DAY
    return Math.min(Math.abs(written - anchorDate), Math.abs(happens - anchorDate))
  }
  const anchorMonday = [0, -WEEK, WEEK]
    .map((shift) => mondayOf(anchorDate) + shift)
    .reduce((best, m) => (distance(m) < distance(best) ? m : best))

  const cutOf = (week: number): Date =>
    instantOfWallTime(wallOf(anchorMonday + week * WEEK + cutDay * DAY, cutMinutes), timeZone)

  const weekAt = (now: Date): number => {
    const local = calendarDay(wallTimeAt(now, timeZone))
    // Within a day of the right week: look at the neighbours and keep the last cut ≤ now.
    let week = Math.round((mondayOf(local) - anchorMonday) / WEEK) + 1
    while (cutOf(week).getTime() > now.getTime()) week -= 1
    return week
  }

  const schedule: TrainSchedule = {
    timeZone,
    cutOf,
    weekOfCut(instant) {
      const week = weekAt(instant)
      return cutOf(week).getTime() === instant.getTime() ? week : undefined
    },
    cutOfWeekHolding(date) {
      return cutOf(Math.round((mondayOf(parseDate(date)) - anchorMonday) / WEEK))
    },
    weekAt,
    cutsBetween(from, to) {
      const cuts: Date[] = []
      for (let week = weekAt(from) + 1; cutOf(week).getTime() <= to.getTime(); week += 1) cuts.push(cutOf(week))
      return cuts
    },
    nextCut: (now) => cutOf(weekAt(now) + 1),
    previousCut: (now) => cutOf(weekAt(now)),
    deployAfter(cut) {
      const week = weekAt(cut)
      const cutWritten = anchorMonday + week * WEEK + cutDay * DAY
      const ahead = (deployDay - cutDay + 7) % 7
      for (let extra = 0; ; extra += 7) {
        const slot = instantOfWallTime(wallOf(cutWritten + (ahead + extra) * DAY, deployMinutes), timeZone)
        if (slot.getTime() >= cut.getTime()) return slot
      }
    },
    addDays(from, days) {
      const w = wallTimeAt(from, timeZone)
      const seconds = from.getTime() - Math.floor(from.getTime() / 60_000) * 60_000
      return new Date(instantOfWallTime({ ...w, day: w.day + days }, timeZone).getTime() + seconds)
    },
  }
  return schedule
}
