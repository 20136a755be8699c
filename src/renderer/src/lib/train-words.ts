import type {
  RegionTrains,
  TrainBoard,
  TrainCell,
  TrainPhase,
  TrainRef,
  TrainStatus,
} from '../../../shared/models/trains'
import { dateTime, zonedDateTime } from './format'

/*
 * The trains board in people's words: what each code means, when things happen (on the schedule's clock, with the
 * local clock beside it), and what each region does next.
 */

const PHASES: Record<TrainPhase, string> = {
  planned: 'planned',
  cut: 'cut, not deployed yet',
  'in-qa': 'in testing',
  seasoning: 'seasoning',
  seasoned: 'seasoned',
  live: 'live',
  retired: 'retired',
}

/** A train's phase in words. */
export function phaseWords(phase: TrainPhase): string {
  return PHASES[phase]
}

/** An instant of the train schedule: "Fri 11 Dec 2026, 00:00 Europe/London" (and the local time when it differs). */
export function scheduleTime(iso: string, timeZone: string): string {
  const { text, local } = zonedDateTime(iso, timeZone)
  return local === undefined ? text : `${text} (${local})`
}

/** How a train was cut: on schedule, or by hand (when and by whom). */
export function cutWords(train: TrainRef, timeZone: string): string {
  if (train.manualCut !== undefined)
    return `cut by hand ${scheduleTime(train.manualCut.at, timeZone)} by ${train.manualCut.by}`
  return `cut ${scheduleTime(train.cutAt, timeZone)}`
}

/** What one service's production runs, in words: "LEE", "LEE + hotfix (1 commit)", "LEE + 2 newer commits". */
export function cellWords(cell: TrainCell): string {
  if (cell.unknown === 'no-sha') return 'no version reported'
  if (cell.unknown === 'no-train' || cell.train === undefined) return 'not on a recent train'
  const extra = cell.extra ?? 0
  const commits = `${extra} commit${extra === 1 ? '' : 's'}`
  switch (cell.kind) {
    case undefined:
    case 'exact':
      return cell.train.name
    case 'hotfix':
      return `${cell.train.name} + hotfix (${commits})`
    case 'ahead':
      return `${cell.train.name} + ${extra} newer ${extra === 1 ? 'commit' : 'commits'}`
    default: {
      const never: never = cell.kind
      return never
    }
  }
}

/** The status of a train on the board, by id. */
function statusOf(board: TrainBoard, train: TrainRef | undefined): TrainStatus | undefined {
  return train === undefined ? undefined : board.trains.find((t) => t.train.id === train.id)
}

/** What a region does next, in a sentence: the train to promote, or what it waits for and until when. */
export function nextStepWords(board: TrainBoard, region: RegionTrains): string {
  const zone = board.timeZone
  const first = board.regions[0]
  if (region.next !== undefined)
    return `${region.next.name} (${cutWords(region.next, zone)}) is ready to promote to ${region.label}.`
  const upcoming = region.upcoming
  const status = statusOf(board, upcoming?.train)
  if (upcoming === undefined || status === undefined) return 'No train has been cut yet.'
  if (upcoming.planned) {
    const now = region.current === undefined ? '' : `Up to date with ${region.current.name}. `
    return `${now}${upcoming.train.name} is cut ${scheduleTime(status.train.cutAt, zone)} and deploys ${scheduleTime(status.train.deployAt, zone)}.`
  }
  const until = status.seasoning?.until
  if (first === undefined || first.region === region.region)
    return `${upcoming.train.name} (${cutWords(upcoming.train, zone)}) comes next.`
  if (until !== undefined && status.seasoning?.done !== true)
    return `Takes ${upcoming.train.name} once it has seasoned in ${first.label}: ${scheduleTime(until, zone)}.`
  return `Takes ${upcoming.train.name} once ${first.label} has run it for a full seasoning period.`
}

/** The seasoning line of the first region: since when the train has run there, and until when it seasons. */
export function seasoningWords(board: TrainBoard, region: RegionTrains): string | undefined {
  const s = region.seasoning
  if (s === undefined || region.current === undefined) return undefined
  const since = `${region.current.name} has run here since ${scheduleTime(s.since, board.timeZone)}`
  const assumed = s.sinceFrom === 'schedule' ? ' (its deploy slot: no deploy was recorded)' : ''
  return s.done
    ? `${since}${assumed}; seasoned since ${dateTime(s.until, board.timeZone)}.`
    : `${since}${assumed}; seasoned on ${scheduleTime(s.until, board.timeZone)}.`
}
