import { AppError } from '../../../shared/errors'
import type { TrainSettings } from '../../../shared/models/workspace'
import { wallTimeAt } from './zoned-time'

/** The name of the train cut in week `week` (0 = the anchor's cut): the list rotates, wrapping both ways. */
export function trainName(settings: Pick<TrainSettings, 'names' | 'anchor'>, week: number): string {
  const { names, anchor } = settings
  // The workspace reader accepts the anchor name in any case.
  const start = names.findIndex((n) => n.toUpperCase() === anchor.name.toUpperCase())
  if (start < 0) {
    throw new AppError('invalid-workspace', `The anchor train "${anchor.name}" is not in the list of train names.`)
  }
  const n = names.length
  return names[(((start + week) % n) + n) % n] ?? anchor.name
}

/** A train's identity: its name and cut instant (names repeat once the list wraps). */
export function trainId(name: string, cut: Date): string {
  return `${name}@${cut.toISOString()}`
}

/** The calendar date (YYYY-MM-DD) on the zone's wall clock at which a cut happens. */
export function cutDate(cut: Date, timeZone: string): string {
  const w = wallTimeAt(cut, timeZone)
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** What people call a train on screen: "BERTHA (cut 2026-03-27)". */
export function trainLabel(name: string, cut: Date, timeZone: string): string {
  return `${name} (cut ${cutDate(cut, timeZone)})`
}
