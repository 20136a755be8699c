import { describe, expect, it } from 'vitest'
import type { TrainSettings } from '../../../src/shared/models/workspace'
import { trainSchedule } from '../../../src/main/core/trains/schedule'
import { instantOfWallTime } from '../../../src/main/core/trains/zoned-time'

type ScheduleSettings = Pick<TrainSettings, 'timezone' | 'cut' | 'deploy' | 'anchor'>

const weekly = (timezone: string, over: Partial<ScheduleSettings> = {}): ScheduleSettings => ({
  timezone,
  cut: { day: 'thursday', time: '24:00' },
  deploy: { day: 'friday', time: '10:00' },
  anchor: { date: '2026-01-01', name: 'ALICIA' },
  ...over,
})
const iso = (d: Date): string => d.toISOString()
const at = (s: string): Date => new Date(s)

describe('zoned wall time', () => {
  it('finds the instant after a spring-forward gap for a wall time that does not exist', () => {
    // London skips 01:00–02:00 on 2026-03-29; New York skips 02:00–03:00 on 2026-03-08.
    expect(iso(instantOfWallTime({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, 'Europe/London'))).toBe(
      '2026-03-29T01:00:00.000Z',
    )
    expect(iso(instantOfWallTime({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York'))).toBe(
      '2026-03-08T07:00:00.000Z',
    )
  })

  it('takes the earlier instant for a wall time that happens twice', () => {
    expect(iso(instantOfWallTime({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 'Europe/London'))).toBe(
      '2026-10-25T00:30:00.000Z',
    )
    expect(iso(instantOfWallTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z',
    )
  })

  it('reads 24:00 as the midnight at the end of the day', () => {
    expect(iso(instantOfWallTime({ year: 2026, month: 3, day: 26, hour: 0, minute: 24 * 60 }, 'Europe/London'))).toBe(
      '2026-03-27T00:00:00.000Z',
    )
  })
})

describe('cuts across the clock changes', () => {
  const london = trainSchedule(weekly('Europe/London'))
  const newYork = trainSchedule(weekly('America/New_York'))

  it('cuts London at Friday 00:00 local, GMT then BST, BST then GMT', () => {
    expect(iso(london.cutOfWeekHolding('2026-03-26'))).toBe('2026-03-27T00:00:00.000Z')
    expect(iso(london.cutOfWeekHolding('2026-04-02'))).toBe('2026-04-02T23:00:00.000Z')
    expect(iso(london.cutOfWeekHolding('2026-10-22'))).toBe('2026-10-22T23:00:00.000Z')
    expect(iso(london.cutOfWeekHolding('2026-10-29'))).toBe('2026-10-30T00:00:00.000Z')
  })

  it('cuts New York on its own change dates (second Sunday of March, first of November)', () => {
    expect(iso(newYork.cutOfWeekHolding('2026-03-05'))).toBe('2026-03-06T05:00:00.000Z')
    expect(iso(newYork.cutOfWeekHolding('2026-03-12'))).toBe('2026-03-13T04:00:00.000Z')
    expect(iso(newYork.cutOfWeekHolding('2026-10-29'))).toBe('2026-10-30T04:00:00.000Z')
    expect(iso(newYork.cutOfWeekHolding('2026-11-05'))).toBe('2026-11-06T05:00:00.000Z')
  })

  it('puts the zones 4 hours apart in the weeks between the US and EU changes, 5 otherwise', () => {
    const gap = (date: string): number =>
      (newYork.cutOfWeekHolding(date).getTime() - london.cutOfWeekHolding(date).getTime()) / 3_600_000
    expect(gap('2026-03-05')).toBe(5)
    expect(gap('2026-03-12')).toBe(4)
    expect(gap('2026-03-19')).toBe(4)
    expect(gap('2026-03-26')).toBe(4)
    expect(gap('2026-04-02')).toBe(5)
    expect(gap('2026-10-22')).toBe(5)
    expect(gap('2026-10-29')).toBe(4)
    expect(gap('2026-11-05')).toBe(5)
  })

  it('lists the cuts between two instants, a cut exactly at the end included and at the start excluded', () => {
    const cuts = london.cutsBetween(at('2026-03-27T00:00:00Z'), at('2026-04-10T23:00:00Z'))
    expect(cuts.map(iso)).toEqual(['2026-04-02T23:00:00.000Z', '2026-04-09T23:00:00.000Z'])
    expect(newYork.cutsBetween(at('2026-10-29T00:00:00Z'), at('2026-11-07T00:00:00Z')).map(iso)).toEqual([
      '2026-10-30T04:00:00.000Z',
      '2026-11-06T05:00:00.000Z',
    ])
  })

  it('gives the next and previous cut around a cut and across the change', () => {
    expect(iso(london.previousCut(at('2026-04-02T23:00:00Z')))).toBe('2026-04-02T23:00:00.000Z')
    expect(iso(london.nextCut(at('2026-04-02T23:00:00Z')))).toBe('2026-04-09T23:00:00.000Z')
    expect(iso(london.previousCut(at('2026-04-02T22:59:59Z')))).toBe('2026-03-27T00:00:00.000Z')
    expect(iso(london.nextCut(at('2026-03-29T00:59:00Z')))).toBe('2026-04-02T23:00:00.000Z')
    expect(iso(newYork.nextCut(at('2026-11-01T05:30:00Z')))).toBe('2026-11-06T05:00:00.000Z')
    expect(iso(newYork.previousCut(at('2026-11-06T04:59:00Z')))).toBe('2026-10-30T04:00:00.000Z')
  })

  it('deploys at the first deploy slot after the cut, on local time', () => {
    expect(iso(london.deployAfter(at('2026-03-27T00:00:00Z')))).toBe('2026-03-27T10:00:00.000Z')
    expect(iso(london.deployAfter(at('2026-04-02T23:00:00Z')))).toBe('2026-04-03T09:00:00.000Z')
    expect(iso(newYork.deployAfter(at('2026-11-06T05:00:00Z')))).toBe('2026-11-06T15:00:00.000Z')
    const sameDay = trainSchedule(weekly('Europe/London', { deploy: { day: 'thursday', time: '23:00' } }))
    expect(iso(sameDay.deployAfter(at('2026-03-27T00:00:00Z')))).toBe('2026-04-02T22:00:00.000Z')
  })

  it('counts weeks from the anchor and knows which instants are cuts', () => {
    const cut = london.cutOf(0)
    expect(iso(cut)).toBe('2026-01-02T00:00:00.000Z')
    expect(london.weekOfCut(london.cutOf(-3))).toBe(-3)
    expect(london.weekOfCut(london.cutOf(13))).toBe(13)
    expect(london.weekOfCut(at('2026-01-02T00:01:00Z'))).toBeUndefined()
    expect(london.weekAt(at('2026-01-01T23:59:00Z'))).toBe(-1)
  })

  it('takes the cut nearest the anchor date, whether written on its day or the day it happens', () => {
    const sunday = (date: string) =>
      trainSchedule(
        weekly('Europe/London', { cut: { day: 'sunday', time: '24:00' }, anchor: { date, name: 'ALICIA' } }),
      )
    expect(iso(sunday('2026-01-04').cutOf(0))).toBe('2026-01-05T00:00:00.000Z')
    expect(iso(sunday('2026-01-05').cutOf(0))).toBe('2026-01-05T00:00:00.000Z')
    expect(
      iso(trainSchedule(weekly('Europe/London', { anchor: { date: '2026-01-02', name: 'ALICIA' } })).cutOf(0)),
    ).toBe('2026-01-02T00:00:00.000Z')
  })

  it('adds seasoning days on the wall clock across a clock change', () => {
    expect(iso(london.addDays(at('2026-03-27T10:00:30Z'), 7))).toBe('2026-04-03T09:00:30.000Z')
    expect(iso(newYork.addDays(at('2026-10-30T14:00:00Z'), 7))).toBe('2026-11-06T15:00:00.000Z')
  })
})

describe('cut and deploy inside a gap or an overlap', () => {
  it('cuts at the jump when the cut time is skipped, and at the first pass when it repeats', () => {
    const skipped = trainSchedule(weekly('America/New_York', { cut: { day: 'sunday', time: '02:30' } }))
    expect(iso(skipped.cutOfWeekHolding('2026-03-08'))).toBe('2026-03-08T07:00:00.000Z')
    expect(iso(skipped.cutOfWeekHolding('2026-03-01'))).toBe('2026-03-01T07:30:00.000Z')
    const repeated = trainSchedule(weekly('Europe/London', { cut: { day: 'sunday', time: '01:30' } }))
    expect(iso(repeated.cutOfWeekHolding('2026-10-25'))).toBe('2026-10-25T00:30:00.000Z')
    expect(iso(repeated.nextCut(at('2026-10-25T00:30:00Z')))).toBe('2026-11-01T01:30:00.000Z')
  })

  it('deploys at the jump when the deploy time is skipped', () => {
    const s = trainSchedule(
      weekly('Europe/London', { cut: { day: 'saturday', time: '12:00' }, deploy: { day: 'sunday', time: '01:15' } }),
    )
    expect(iso(s.deployAfter(s.cutOfWeekHolding('2026-03-28')))).toBe('2026-03-29T01:00:00.000Z')
    expect(iso(s.deployAfter(s.cutOfWeekHolding('2026-10-24')))).toBe('2026-10-25T00:15:00.000Z')
    const ny = trainSchedule(
      weekly('America/New_York', { cut: { day: 'saturday', time: '12:00' }, deploy: { day: 'sunday', time: '01:30' } }),
    )
    expect(iso(ny.deployAfter(ny.cutOfWeekHolding('2026-10-31')))).toBe('2026-11-01T05:30:00.000Z')
    expect(iso(ny.deployAfter(ny.cutOfWeekHolding('2026-11-07')))).toBe('2026-11-08T06:30:00.000Z')
  })

  it('refuses an unknown zone and a bad time', () => {
    expect(() => trainSchedule(weekly('Mars/Olympus'))).toThrow(/time zone/)
    expect(() => trainSchedule(weekly('Europe/London', { cut: { day: 'thursday', time: '24:30' } }))).toThrow(/HH:MM/)
  })
})
